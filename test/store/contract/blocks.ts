import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BlockRecord } from '../../../src/core/blocks/block.js';
import { parseBlockTarget } from '../../../src/core/blocks/target.js';
import { ipKey, parseIp } from '../../../src/core/net/index.js';
import type { BlocksRepository } from '../../../src/store/blocks.js';
import { withStore, type StoreFactory } from './fixture.js';

function block(value: string, over: Partial<BlockRecord> = {}): BlockRecord {
  const t = parseBlockTarget(value);
  if (!t.ok) throw new Error(`bad test value ${value}`);
  return { value: t.target.value, scope: t.target.scope, start: t.target.start, end: t.target.end, reason: 'r', source: 'test', createdAt: 1000, expiresAt: null, count: 1, ...over };
}

function key(ip: string): string {
  const a = parseIp(ip);
  if (!a) throw new Error(`bad test ip ${ip}`);
  return ipKey(a);
}

async function collect(repo: BlocksRepository, now: number, batchSize?: number): Promise<string[][]> {
  const pages: string[][] = [];
  for await (const page of repo.active(now, batchSize)) pages.push(page.map((b) => b.value));
  return pages;
}

/** The blocks repository through its async interface: behaviour, not SQL, so every backend runs the same suite. */
export function blocksContract(backend: string, factory: StoreFactory): void {
  test(`${backend} blocks: records round-trip, an upsert replaces the block of its value, delete says whether it did`, () =>
    withStore(factory, async ({ store }) => {
      const repo = store.blocks;
      await repo.upsert(block('203.0.113.7', { expiresAt: 5000 }));
      assert.deepEqual(await repo.get('203.0.113.7'), block('203.0.113.7', { expiresAt: 5000 }));
      await repo.upsert(block('203.0.113.7', { reason: null, source: 'manual', createdAt: 2000, expiresAt: null, count: 2 }));
      assert.deepEqual(await repo.get('203.0.113.7'), block('203.0.113.7', { reason: null, source: 'manual', createdAt: 2000, expiresAt: null, count: 2 }));
      assert.equal(await repo.get('203.0.113.8'), undefined);
      assert.equal(await repo.delete('203.0.113.7'), true);
      assert.equal(await repo.delete('203.0.113.7'), false);
      assert.equal(await repo.get('203.0.113.7'), undefined);
    }));

  test(`${backend} blocks: covering finds the address's own block or the narrowest active range, never an expired one nor across versions`, () =>
    withStore(factory, async ({ store }) => {
      const repo = store.blocks;
      await repo.upsert(block('10.0.0.0/8'));
      await repo.upsert(block('10.1.0.0/16', { expiresAt: 5000 }));
      await repo.upsert(block('10.1.2.3', { expiresAt: 3000 }));
      await repo.upsert(block('::/0'));
      assert.equal((await repo.covering(key('10.1.2.3'), 2999))?.value, '10.1.2.3');
      assert.equal((await repo.covering(key('10.1.2.3'), 3000))?.value, '10.1.0.0/16', 'a block ends at its expiry instant');
      assert.equal((await repo.covering(key('10.1.2.4'), 4999))?.value, '10.1.0.0/16');
      assert.equal((await repo.covering(key('10.1.2.4'), 5000))?.value, '10.0.0.0/8');
      assert.equal((await repo.covering(key('10.2.0.1'), 0))?.value, '10.0.0.0/8');
      assert.equal((await repo.covering(key('11.0.0.1'), 0)), undefined, '::/0 never covers an IPv4 address');
      assert.equal((await repo.covering(key('2001:db8::1'), 0))?.value, '::/0');
    }));

  test(`${backend} blocks: list and count give active blocks by range start, or every kept block with all`, () =>
    withStore(factory, async ({ store }) => {
      const repo = store.blocks;
      await repo.upsert(block('198.51.100.9', { expiresAt: 2000 }));
      await repo.upsert(block('192.0.2.0/24'));
      await repo.upsert(block('2001:db8::1', { expiresAt: 9000 }));
      await repo.upsert(block('203.0.113.1', { expiresAt: 1500 }));
      assert.deepEqual((await repo.list({ all: false, now: 1800 })).map((b) => b.value), ['192.0.2.0/24', '198.51.100.9', '2001:db8::1']);
      assert.deepEqual((await repo.list({ all: true, now: 1800 })).map((b) => b.value), ['192.0.2.0/24', '198.51.100.9', '203.0.113.1', '2001:db8::1']);
      assert.equal(await repo.countActive(1800), 3);
      assert.equal(await repo.countActive(2000), 2);
    }));

  test(`${backend} blocks: the active stream pages by (range start, value), every active block once, none expired`, () =>
    withStore(factory, async ({ store }) => {
      const repo = store.blocks;
      // Three blocks start at 10.0.0.0: the value orders them, so a page boundary between them loses none.
      for (const v of ['10.0.0.0/8', '10.0.0.0', '10.0.0.0/16', '10.0.0.1', '192.0.2.1', '2001:db8::/32', '2001:db8::5']) await repo.upsert(block(v));
      await repo.upsert(block('172.16.0.1', { expiresAt: 1000 }));
      assert.deepEqual(await collect(repo, 1000, 3), [
        ['10.0.0.0', '10.0.0.0/16', '10.0.0.0/8'],
        ['10.0.0.1', '192.0.2.1', '2001:db8::/32'],
        ['2001:db8::5'],
      ]);
      assert.deepEqual(await collect(repo, 1000, 2), [
        ['10.0.0.0', '10.0.0.0/16'],
        ['10.0.0.0/8', '10.0.0.1'],
        ['192.0.2.1', '2001:db8::/32'],
        ['2001:db8::5'],
      ]);
      assert.deepEqual((await collect(repo, 1000, 7)).map((p) => p.length), [7]);
      assert.equal((await collect(repo, 999)).flat().length, 8, 'the default batch holds them all; 172.16.0.1 is active until 1000');
    }));

  test(`${backend} blocks: the history's ids only grow; it is read after an id, newest last, and counted per value`, () =>
    withStore(factory, async ({ store }) => {
      const repo = store.blocks;
      assert.equal(await repo.lastEventId(), 0);
      assert.equal(await repo.lastUnblockAt('192.0.2.1'), null);
      const e = (at: number, action: 'block' | 'unblock', value = '192.0.2.1') => ({ at, action, value, scope: 'ip' as const, reason: action === 'block' ? 'x' : null, source: 's', expiresAt: action === 'block' ? at + 100 : null, count: 1 });
      const ids: number[] = [];
      ids.push(await repo.addEvent(e(100, 'block')));
      ids.push(await repo.addEvent(e(200, 'unblock')));
      ids.push(await repo.addEvent(e(300, 'block')));
      ids.push(await repo.addEvent(e(400, 'unblock')));
      ids.push(await repo.addEvent(e(500, 'block', '192.0.2.2')));
      assert.ok(ids.every((id, i) => i === 0 || id > (ids[i - 1] as number)), `ids grow: ${ids}`);
      assert.equal(await repo.lastEventId(), ids[4]);
      assert.equal(await repo.priorBlocks('192.0.2.1'), 2);
      assert.equal(await repo.priorBlocks('192.0.2.2'), 1);
      assert.equal(await repo.priorBlocks('192.0.2.3'), 0);
      assert.equal(await repo.lastUnblockAt('192.0.2.1'), 400);
      assert.equal(await repo.lastUnblockAt('192.0.2.2'), null);
      const after = await repo.eventsAfter(ids[1] as number, 2);
      assert.deepEqual(after.map((x) => x.id), [ids[2], ids[3]]);
      assert.deepEqual(after[0], { id: ids[2], ...e(300, 'block') });
      assert.deepEqual((await repo.eventsAfter(ids[4] as number, 10)), []);
      assert.deepEqual((await repo.newestEvents(2)).map((x) => x.at), [400, 500]);
      assert.deepEqual((await repo.newestEvents(0)), []);
    }));

  test(`${backend} blocks: failures are counted per subject in [since, until]`, () =>
    withStore(factory, async ({ store }) => {
      const repo = store.blocks;
      for (const at of [100, 200, 300]) await repo.addFailure('192.0.2.1', '192.0.2.1', 'auth', at, 'test');
      await repo.addFailure('2001:db8::/64', '2001:db8::1', 'ratelimit', 200, null);
      assert.equal(await repo.countFailures('192.0.2.1', 100, 300), 3);
      assert.equal(await repo.countFailures('192.0.2.1', 101, 299), 1);
      assert.equal(await repo.countFailures('192.0.2.1', 301, 900), 0);
      assert.equal(await repo.countFailures('2001:db8::/64', 0, 900), 1);
    }));

  test(`${backend} blocks: an ingest position is remembered per path and replaced`, () =>
    withStore(factory, async ({ store }) => {
      const repo = store.blocks;
      assert.equal(await repo.position('/var/log/a.log'), undefined);
      await repo.setPosition('/var/log/a.log', { dev: '2049', ino: '131', offset: 4096 }, 1000);
      await repo.setPosition('/var/log/b.log', { dev: '2049', ino: '132', offset: 7 }, 1000);
      assert.deepEqual({ ...(await repo.position('/var/log/a.log')) }, { dev: '2049', ino: '131', offset: 4096 });
      await repo.setPosition('/var/log/a.log', { dev: '2049', ino: '999', offset: 0 }, 2000);
      assert.deepEqual({ ...(await repo.position('/var/log/a.log')) }, { dev: '2049', ino: '999', offset: 0 });
      assert.deepEqual({ ...(await repo.position('/var/log/b.log')) }, { dev: '2049', ino: '132', offset: 7 });
    }));

  test(`${backend} blocks: purge trims history, failures and long-expired blocks; active and permanent blocks stay`, () =>
    withStore(factory, async ({ store }) => {
      const repo = store.blocks;
      await repo.upsert(block('192.0.2.1', { expiresAt: 500 }));
      await repo.upsert(block('192.0.2.2', { expiresAt: 5000 }));
      await repo.upsert(block('192.0.2.3', { createdAt: 10 }));
      await repo.upsert(block('192.0.2.4', { expiresAt: 1500 }));
      await repo.addEvent({ at: 400, action: 'block', value: '192.0.2.1', scope: 'ip', reason: null, source: 's', expiresAt: 500, count: 1 });
      await repo.addEvent({ at: 1200, action: 'block', value: '192.0.2.4', scope: 'ip', reason: null, source: 's', expiresAt: 1500, count: 1 });
      await repo.addFailure('192.0.2.9', '192.0.2.9', 'auth', 900, null);
      await repo.addFailure('192.0.2.9', '192.0.2.9', 'auth', 1100, null);
      assert.deepEqual({ ...(await repo.purge(1000)) }, { events: 1, failures: 1, blocks: 1 });
      assert.deepEqual((await repo.list({ all: true, now: 0 })).map((b) => b.value), ['192.0.2.2', '192.0.2.3', '192.0.2.4']);
      assert.equal(await repo.countFailures('192.0.2.9', 0, 9999), 1);
      assert.deepEqual((await repo.newestEvents(10)).map((e) => e.at), [1200]);
    }));

  test(`${backend} blocks: decision ids are the newest block event of a value, and purge keeps them however old`, () =>
    withStore(factory, async ({ store }) => {
      const repo = store.blocks;
      const ev = (at: number, action: 'block' | 'unblock', value: string) => repo.addEvent({ at, action, value, scope: 'ip', reason: null, source: 's', expiresAt: null, count: 1 });
      await repo.upsert(block('192.0.2.1'));
      const first = await ev(100, 'block', '192.0.2.1');
      const unblock = await ev(200, 'unblock', '192.0.2.1');
      const second = await ev(300, 'block', '192.0.2.1');
      await ev(310, 'block', '192.0.2.2');
      assert.deepEqual([...(await repo.blockEventIds(['192.0.2.1', '192.0.2.9']))], [['192.0.2.1', second]]);
      assert.equal(await repo.blockEventBefore('192.0.2.1', unblock), first);
      assert.equal(await repo.blockEventBefore('192.0.2.1', first), null);
      // 192.0.2.2 has no kept block: its events are history only, trimmed like the rest.
      await repo.purge(1000);
      assert.deepEqual([...(await repo.blockEventIds(['192.0.2.1', '192.0.2.2']))], [['192.0.2.1', second]]);
      assert.deepEqual((await repo.newestEvents(10)).map((e) => e.id), [second]);
    }));

  test(`${backend} blocks: expiredBetween is (since, until] by expiry; coveringAll gives every active block holding a span`, () =>
    withStore(factory, async ({ store }) => {
      const repo = store.blocks;
      await repo.upsert(block('192.0.2.1', { expiresAt: 500 }));
      await repo.upsert(block('192.0.2.2', { expiresAt: 1000 }));
      await repo.upsert(block('192.0.2.3', { expiresAt: 1500 }));
      await repo.upsert(block('192.0.2.4'));
      assert.deepEqual((await repo.expiredBetween(500, 1500)).map((b) => b.value), ['192.0.2.2', '192.0.2.3']);
      assert.deepEqual(await repo.expiredBetween(1500, 9000), []);
      await repo.upsert(block('192.0.2.0/24'));
      await repo.upsert(block('192.0.0.0/16'));
      await repo.upsert(block('192.0.2.128/25', { expiresAt: 100 }));
      await repo.upsert(block('198.51.100.0/24'));
      const k = key('192.0.2.4');
      assert.deepEqual((await repo.coveringAll(k, k, 200)).map((b) => b.value), ['192.0.2.4', '192.0.2.0/24', '192.0.0.0/16']);
      const k1 = key('192.0.2.1');
      assert.deepEqual((await repo.coveringAll(k1, k1, 600)).map((b) => b.value), ['192.0.2.0/24', '192.0.0.0/16'], 'an expired address block is not active');
      const r = block('192.0.2.0/25');
      assert.deepEqual((await repo.coveringAll(r.start, r.end, 0)).map((b) => b.value), ['192.0.2.0/24', '192.0.0.0/16']);
    }));

  test(`${backend} blocks: writes in a rolled-back transaction leave nothing, and another connection sees committed ones`, () =>
    withStore(factory, async ({ store, connect }) => {
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.blocks.upsert(block('192.0.2.1'));
          await tx.blocks.addEvent({ at: 1, action: 'block', value: '192.0.2.1', scope: 'ip', reason: null, source: 's', expiresAt: null, count: 1 });
          await tx.blocks.addFailure('192.0.2.1', '192.0.2.1', 'auth', 1, null);
          await tx.blocks.setPosition('/log', { dev: '1', ino: '2', offset: 3 }, 1);
          assert.equal((await tx.blocks.get('192.0.2.1'))?.value, '192.0.2.1', 'the transaction sees its own writes');
          throw new Error('abort');
        }),
        /abort/,
      );
      assert.equal(await store.blocks.get('192.0.2.1'), undefined);
      assert.equal(await store.blocks.lastEventId(), 0);
      assert.equal(await store.blocks.countFailures('192.0.2.1', 0, 10), 0);
      assert.equal(await store.blocks.position('/log'), undefined);
      await store.transaction(async (tx) => tx.blocks.upsert(block('192.0.2.2')));
      const other = await connect();
      try {
        assert.equal((await other.blocks.get('192.0.2.2'))?.value, '192.0.2.2');
      } finally {
        await other.close();
      }
    }));
}
