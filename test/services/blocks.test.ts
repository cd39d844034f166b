/**
 * The blocks service on a real store: failures recorded inside another area's transaction, and the in-memory index
 * (ingest, the library) against transactions that are still open, roll back, or commit while a sync is reading.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { parseBlockTarget, type BlockTarget } from '../../src/core/blocks/target.js';
import { parseIp, type IpAddress } from '../../src/core/net/index.js';
import { addBlock, blockIn, blocksOn, openBlocks, recordFailureIn, removeBlock, syncIndex, unblockIn, type BlocksService } from '../../src/services/blocks.js';
import { createRuntime, type Runtime } from '../../src/services/runtime.js';
import type { BlocksRepository } from '../../src/store/blocks.js';
import type { Tx } from '../../src/store/store.js';
import { openStore } from '../../src/store/open.js';
import { initHome } from '../commands/keys/helpers.js';

const T0 = new Date('2026-11-22T03:00:00Z');
const at = T0.getTime();
let home: string;
let cleanup: () => void;
let rt: Runtime;

before(async () => {
  ({ home, cleanup } = await initHome());
  rt = createRuntime({ home, env: {}, cwd: home, clock: () => T0 });
});
after(() => cleanup());

function ip(text: string): IpAddress {
  const a = parseIp(text);
  if (!a) throw new Error(text);
  return a;
}

function target(text: string): BlockTarget {
  const t = parseBlockTarget(text);
  if (!t.ok) throw new Error(text);
  return t.target;
}

const failure = { at, source: 'test', reason: null };

async function withIndexed(body: (svc: BlocksService) => Promise<void>): Promise<void> {
  const svc = await openBlocks(rt, {}, { index: true });
  try {
    await body(svc);
  } finally {
    await svc.close();
  }
}

test('a failure recorded in a caller transaction commits with its writes, or rolls back with them', async () => {
  const store = await rt.store();
  try {
    const d = await blocksOn(rt, store);
    await assert.rejects(
      store.transaction(async (tx) => {
        await tx.meta.set('caller-write', 'x');
        const outcomes = [];
        for (let i = 0; i < 5; i++) outcomes.push((await recordFailureIn(d, tx, '192.0.2.10', 'auth', failure)).outcome);
        assert.deepEqual(outcomes, ['counted', 'counted', 'counted', 'counted', 'blocked']);
        throw new Error('the caller failed');
      }),
      /the caller failed/,
    );
    assert.equal(await store.meta.get('caller-write'), undefined);
    assert.equal(await store.blocks.get('192.0.2.10'), undefined);
    assert.equal(await store.blocks.countFailures('192.0.2.10', 0, at), 0, 'the failures went with it');
    const r = await store.transaction(async (tx) => {
      await tx.meta.set('caller-write', 'y');
      return recordFailureIn(d, tx, ip('192.0.2.10'), 'auth', failure);
    });
    assert.deepEqual(r, { outcome: 'counted', ip: '192.0.2.10', subject: '192.0.2.10', failures: 1, maxFailures: 5 });
    assert.equal(await store.meta.get('caller-write'), 'y');
    await assert.rejects(store.transaction((tx) => recordFailureIn(d, tx, '192.0.2.999', 'auth', failure)), /'192.0.2.999' is not an IP address/);
  } finally {
    await store.close();
  }
});

test('with an index, an open transaction sees its own blocks and lifts at once, and no one else does until it commits', () =>
  withIndexed(async (svc) => {
    const s = svc.synced;
    assert.ok(s);
    await addBlock(svc, target('198.51.100.0/24'), { expiresAt: null, reason: null, source: 'test', now: at });
    assert.equal(s.index.lookup(ip('198.51.100.8'), at)?.value, '198.51.100.0/24', 'a committed block reaches the shared index');
    await svc.store.transaction(async (tx) => {
      const outcomes = [];
      for (let i = 0; i < 5; i++) outcomes.push((await recordFailureIn(svc, tx, '203.0.113.5', 'auth', failure)).outcome);
      assert.deepEqual(outcomes, ['counted', 'counted', 'counted', 'counted', 'blocked']);
      const again = await recordFailureIn(svc, tx, '203.0.113.5', 'auth', failure);
      assert.equal(again.outcome, 'already-blocked', 'the transaction sees the block it made');
      assert.equal(s.index.lookup(ip('203.0.113.5'), at), undefined, 'nobody else sees it before the commit');
      // Lifting the range inside the transaction: its own lookups no longer find it, everyone else's still do.
      await removeBlockIn(svc, tx, '198.51.100.0/24');
      assert.equal((await recordFailureIn(svc, tx, '198.51.100.8', 'auth', failure)).outcome, 'counted');
      assert.equal(s.index.lookup(ip('198.51.100.8'), at)?.value, '198.51.100.0/24');
    });
    assert.equal(s.index.lookup(ip('203.0.113.5'), at)?.value, '203.0.113.5');
    assert.equal(s.index.lookup(ip('198.51.100.8'), at), undefined);
  }));

test('with an index, of a range the transaction made and a narrower committed block, its lookups find the narrower', () =>
  withIndexed(async (svc) => {
    await addBlock(svc, target('10.9.8.7'), { expiresAt: null, reason: null, source: 'test', now: at });
    await svc.store.transaction(async (tx) => {
      await blockIn(svc, tx, target('10.9.0.0/16'), { expiresAt: null, reason: null, source: 'test', now: at });
      const narrow = await recordFailureIn(svc, tx, '10.9.8.7', 'auth', failure);
      assert.equal(narrow.outcome === 'already-blocked' && narrow.block.value, '10.9.8.7');
      const wide = await recordFailureIn(svc, tx, '10.9.8.6', 'auth', failure);
      assert.equal(wide.outcome === 'already-blocked' && wide.block.value, '10.9.0.0/16');
    });
  }));

test('with an index, a transaction that rolls back leaves the index as the store is', () =>
  withIndexed(async (svc) => {
    const s = svc.synced;
    assert.ok(s);
    await addBlock(svc, target('203.0.113.6'), { expiresAt: null, reason: null, source: 'test', now: at });
    await assert.rejects(
      svc.store.transaction(async (tx) => {
        for (let i = 0; i < 5; i++) await recordFailureIn(svc, tx, '203.0.113.77', 'auth', failure);
        await removeBlockIn(svc, tx, '203.0.113.6');
        throw new Error('abort');
      }),
      /abort/,
    );
    assert.equal(await svc.store.blocks.get('203.0.113.77'), undefined);
    assert.equal(s.index.lookup(ip('203.0.113.77'), at), undefined, 'no block that never committed');
    assert.equal(s.index.lookup(ip('203.0.113.6'), at)?.value, '203.0.113.6', 'no lift that never committed');
  }));

test('an index sync that a commit of this process overtook reads again instead of writing older state over it', () =>
  withIndexed(async (svc) => {
    const s = svc.synced;
    assert.ok(s);
    const other = await openStore(join(home, 'agentsec.db'));
    try {
      // Another process blocks an address; this process starts reading that change ...
      await other.transaction(async (tx) => {
        await tx.blocks.upsert({ ...target('192.0.2.77'), reason: null, source: 'other', createdAt: at, expiresAt: null, count: 1 });
        await tx.blocks.addEvent({ at, action: 'block', value: '192.0.2.77', scope: 'ip', reason: null, source: 'other', expiresAt: null, count: 1 });
      });
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let parked!: () => void;
      const reading = new Promise<void>((r) => (parked = r));
      let reads = 0;
      const slow: BlocksRepository = {
        ...svc.store.blocks,
        get: async (value) => {
          const b = await svc.store.blocks.get(value);
          if (reads++ === 0) {
            parked();
            await held;
          }
          return b;
        },
      };
      const sync = syncIndex(slow, s);
      await reading;
      // ... and, before it applies what it read, lifts the block itself (its own transaction brings the index up to
      // date first, then commits the lift into it).
      assert.ok(await removeBlock(svc, target('192.0.2.77'), { now: at, source: 'test' }));
      assert.equal(s.index.get('192.0.2.77'), undefined);
      release();
      await sync;
      assert.equal(s.index.get('192.0.2.77'), undefined, 'the older read did not bring the lifted block back');
      assert.equal(s.lastEventId, await svc.store.blocks.lastEventId());
    } finally {
      await other.close();
    }
  }));

async function removeBlockIn(svc: BlocksService, tx: Tx, value: string): Promise<void> {
  assert.ok(await unblockIn(svc, tx, target(value), { now: at, source: 'test' }), `${value} was blocked`);
}
