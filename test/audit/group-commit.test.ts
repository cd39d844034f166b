import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { AuditLog } from '../../src/services/audit.js';
import { AuditKeyring } from '../../src/platform/audit-keyring.js';
import { openStore } from '../../src/store/open.js';
import type { Store, Tx } from '../../src/store/store.js';
import { ROOT, runCli, tempDir } from '../support/cli.js';

const tmp = tempDir('agentsec-audit-group-');
after(() => tmp.cleanup());

function initHome(name: string): { home: string; pubkey: string } {
  const home = join(tmp.dir, name);
  const init = runCli(['--home', home, 'init', '--quiet']);
  assert.equal(init.code, 0, init.stderr);
  return { home, pubkey: init.stdout.trim() };
}

function verify(home: string, pubkey: string): { code: number; problems: unknown[]; entries: number } {
  const r = runCli(['--home', home, 'audit', 'verify', '--json', '--pubkey', pubkey]);
  const doc = JSON.parse(r.stdout) as { problems: unknown[]; entries: number };
  return { code: r.code, problems: doc.problems, entries: doc.entries };
}

/**
 * The real store, with its transactions counted and, while `failWith` has set an error, each one made to fail after
 * its work has run (as a failed COMMIT would: the store rolls everything back and the error passes on).
 */
function instrumented(store: Store): { store: Store; transactions: () => number; failWith: (err: Error | undefined) => void } {
  let count = 0;
  let failure: Error | undefined;
  const wrapped = new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'transaction') {
        return async <T>(fn: (tx: Tx) => Promise<T>): Promise<T> => {
          count++;
          const fail = failure;
          return target.transaction(async (tx) => {
            const r = await fn(tx);
            if (fail) throw fail;
            return r;
          });
        };
      }
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
  return { store: wrapped, transactions: () => count, failWith: (err) => (failure = err) };
}

function chainRows(home: string): Array<{ seq: number; hash: string; canon: string }> {
  const db = new Database(join(home, 'agentsec.db'), { readonly: true });
  try {
    return db.prepare('SELECT seq, hash, canon FROM audit_entries ORDER BY seq').all() as Array<{ seq: number; hash: string; canon: string }>;
  } finally {
    db.close();
  }
}

test('concurrent appends share commits, keep their order and their events consecutive, and the chain verifies', async () => {
  const { home, pubkey } = initHome('share');
  const real = await openStore(join(home, 'agentsec.db'));
  const { store, transactions } = instrumented(real);
  try {
    const log = new AuditLog({ store, keyring: new AuditKeyring(home), clock: () => new Date(), epochMs: 15 * 60_000 });
    const calls = Array.from({ length: 200 }, (_, i) => log.append([{ type: 'test.a', data: { i } }, { type: 'test.b', data: { i } }]));
    const written = await Promise.all(calls);
    // One commit for the first call (alone when it came), one for the 199 that queued behind it.
    assert.ok(transactions() <= 3, `200 concurrent appends took ${transactions()} transactions`);
    written.forEach((entries, i) => {
      assert.equal(entries.length, 2);
      assert.equal(entries[0]?.entry.seq, 1 + 2 * i, 'calls keep the order they were made in');
      assert.equal(entries[1]?.entry.seq, 2 + 2 * i, "a call's events stay consecutive");
      assert.equal(entries[1]?.entry.prev, entries[0]?.hash);
    });
  } finally {
    await real.close();
  }
  const rows = chainRows(home);
  assert.equal(rows.length, 401);
  const v = verify(home, pubkey);
  assert.deepEqual(v.problems, []);
  assert.equal(v.code, 0);
});

test('a call whose events are refused is rejected alone; the rest of its group commits', async () => {
  const { home, pubkey } = initHome('refused');
  const real = await openStore(join(home, 'agentsec.db'));
  const { store, transactions } = instrumented(real);
  try {
    const log = new AuditLog({ store, keyring: new AuditKeyring(home), clock: () => new Date(), epochMs: 15 * 60_000 });
    const first = log.append([{ type: 'test.first' }]);
    // These queue behind the first commit and form one group; the bad type is in the middle of it.
    const group = [log.append([{ type: 'test.ok', data: { n: 1 } }]), log.append([{ type: 'test.ok', data: { n: 2 } }, { type: 'Not A Type' }]), log.append([{ type: 'test.ok', data: { n: 3 } }])];
    const settled = await Promise.allSettled([first, ...group]);
    assert.equal(transactions(), 2);
    assert.deepEqual(settled.map((s) => s.status), ['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    const third = settled[3] as PromiseFulfilledResult<Array<{ entry: { seq: number } }>>;
    assert.equal(third.value[0]?.entry.seq, 3, "the refused call's first event was undone, not left in the chain");
  } finally {
    await real.close();
  }
  assert.deepEqual(chainRows(home).map((r) => JSON.parse(r.canon).type), ['audit.init', 'test.first', 'test.ok', 'test.ok']);
  assert.deepEqual(verify(home, pubkey).problems, []);
});

test('a failed commit rejects every call of its group and leaves the chain whole', async () => {
  const { home, pubkey } = initHome('failed');
  const real = await openStore(join(home, 'agentsec.db'));
  const { store, transactions, failWith } = instrumented(real);
  try {
    const log = new AuditLog({ store, keyring: new AuditKeyring(home), clock: () => new Date(), epochMs: 15 * 60_000 });
    await log.append([{ type: 'test.before' }]);
    failWith(new Error('disk full'));
    const before = transactions();
    const settled = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => log.append([{ type: 'test.lost', data: { i } }])));
    assert.ok(transactions() - before <= 2, `20 concurrent appends took ${transactions() - before} transactions`);
    for (const s of settled) {
      assert.equal(s.status, 'rejected');
      assert.match(String((s as PromiseRejectedResult).reason), /disk full/);
    }
    failWith(undefined);
    const after = await log.append([{ type: 'test.after' }]);
    assert.equal(after[0]?.entry.seq, 2, 'the chain goes on from the last committed entry');
  } finally {
    await real.close();
  }
  assert.deepEqual(chainRows(home).map((r) => JSON.parse(r.canon).type), ['audit.init', 'test.before', 'test.after']);
  assert.deepEqual(verify(home, pubkey).problems, []);
});

test('SIGKILL mid-group: every append reported resolved is in the chain after reopen, and the chain verifies', async () => {
  const { home, pubkey } = initHome('kill');
  const child = join(ROOT, 'dist', 'test', 'support', 'audit-append-child.js');
  for (let round = 0; round < 4; round++) {
    const reported = await new Promise<string[]>((resolve, reject) => {
      const proc = spawn(process.execPath, [child, home, '48'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      // Killed at a different point of a group each round: after a few hundred resolved appends.
      const killAt = 200 + round * 150;
      proc.stdout.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        if (out.split('\n').length > killAt) proc.kill('SIGKILL');
      });
      proc.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
      proc.on('error', reject);
      proc.on('close', (code, signal) => {
        if (signal !== 'SIGKILL') reject(new Error(`child ended with ${code}: ${err}`));
        // A line cut short by the kill was never complete: only whole lines were reported.
        else resolve(out.split('\n').filter((l) => /^\d+ [0-9a-f]{64}$/.test(l)));
      });
    });
    assert.ok(reported.length >= 200, `round ${round}: ${reported.length} appends reported`);
    const stored = new Map(chainRows(home).map((r) => [r.seq, r.hash]));
    for (const line of reported) {
      const [seq, hash] = line.split(' ');
      assert.equal(stored.get(Number(seq)), hash, `round ${round}: resolved append ${seq} is in the chain`);
    }
    const v = verify(home, pubkey);
    assert.deepEqual(v.problems, [], `round ${round}`);
  }
});
