import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { closeAgentsec, isBlocked, recordFailure } from '../../src/index.js';
import { openDb } from '../../src/store/db.js';
import { runCli, tempDir } from '../support/cli.js';

const tmp = tempDir();
const home = join(tmp.dir, 'h');
before(() => {
  const r = runCli(['--home', home, 'init', '--quiet']);
  assert.equal(r.code, 0, r.stderr);
});
after(async () => {
  await closeAgentsec();
  tmp.cleanup();
});

test('isBlocked sees blocks made by another process at once, and expiry at its instant', async () => {
  assert.deepEqual(await isBlocked('192.0.2.44', { home }), { blocked: false, block: null });
  assert.equal(runCli(['--home', home, 'blocks', 'add', '192.0.2.0/24', '--for', '1h', '--reason', 'probe']).code, 0);
  const hit = await isBlocked('::ffff:192.0.2.44', { home });
  assert.equal(hit.blocked, true);
  assert.equal(hit.blocked && hit.block.value, '192.0.2.0/24');
  assert.equal(hit.blocked && hit.block.reason, 'probe');
  // The same members as `blocks check --json`, but the ip the caller passed and the schema version.
  const { schemaVersion: _v, ip: _ip, ...cli } = JSON.parse(runCli(['--home', home, '--json', 'blocks', 'check', '::ffff:192.0.2.44']).stdout) as Record<string, unknown>;
  assert.deepEqual({ ...hit }, cli);
  const expires = Date.parse(hit.blocked ? (hit.block.expiresAt as string) : '');
  assert.equal((await isBlocked('192.0.2.44', { home, now: new Date(expires - 1) })).blocked, true);
  assert.equal((await isBlocked('192.0.2.44', { home, now: new Date(expires) })).blocked, false);
  assert.equal(runCli(['--home', home, 'blocks', 'remove', '192.0.2.0/24']).code, 0);
  assert.equal((await isBlocked('192.0.2.44', { home })).blocked, false);
});

test('recordFailure applies the policy and isBlocked answers from the same process', async () => {
  const now = new Date('2026-11-22T05:00:00Z');
  const outcomes = [];
  for (let i = 0; i < 5; i++) outcomes.push((await recordFailure('2001:db8::77', 'ratelimit', { home, now })).outcome);
  assert.deepEqual(outcomes, ['counted', 'counted', 'counted', 'counted', 'blocked']);
  assert.equal((await isBlocked('2001:DB8:0::77', { home, now })).blocked, true);
  assert.equal((await recordFailure('127.0.0.1', 'auth', { home, now })).outcome, 'allowlisted');
  await assert.rejects(isBlocked('nope', { home }), /isBlocked: ip 'nope' is not an IPv4 or IPv6 address/);
  await assert.rejects(recordFailure('1.2.3.4', 'bogus' as 'auth', { home }), /kind/);
  await assert.rejects(isBlocked('1.2.3.4', { home: join(tmp.dir, 'missing') }), /run agentsec init/);
});

test('8 processes recording failures for overlapping IPs lose none and create each block once', async () => {
  const worker = fileURLToPath(new URL('../support/blocks-worker.js', import.meta.url));
  // Six shared addresses, 8 workers x 3 rounds = 24 failures each: every address must be blocked exactly once,
  // its first 5 failures counted (the 5th blocking) and the other 19 reported as already blocked.
  const ips = ['198.51.100.1', '198.51.100.2', '198.51.100.3', '2001:db8:c::1', '2001:db8:c::2', '::ffff:198.51.100.6'];
  const runs = Array.from({ length: 8 }, () =>
    new Promise<Record<string, number>>((res, rej) => {
      const child = spawn(process.execPath, [worker, home, '3', ...ips], { env: { PATH: process.env['PATH'] ?? '' } });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d));
      child.stderr.on('data', (d: Buffer) => (err += d));
      child.on('close', (code) => (code === 0 ? res(JSON.parse(out) as Record<string, number>) : rej(new Error(`worker exited ${code}: ${err}`))));
    }),
  );
  const results = await Promise.all(runs);
  const total = (k: string) => results.reduce((s, r) => s + (r[k] ?? 0), 0);
  assert.equal(total('blocked'), ips.length);
  assert.equal(total('counted'), ips.length * 4);
  assert.equal(total('already-blocked'), ips.length * 19);
  const db = await openDb(join(home, 'agentsec.db'));
  try {
    const events = db.prepare("SELECT value, count(*) AS n FROM block_events WHERE action = 'block' AND (value LIKE '198.51.100.%' OR value LIKE '2001:db8:c::%') GROUP BY value").all() as Array<{ value: string; n: number }>;
    assert.deepEqual(events.map((e) => e.n), [1, 1, 1, 1, 1, 1]);
    const failures = db.prepare("SELECT count(*) FROM block_failures WHERE ip LIKE '198.51.100.%' OR ip LIKE '2001:db8:c::%'").pluck().get();
    assert.equal(failures, ips.length * 5, 'every failure before the block is stored');
  } finally {
    db.close();
  }
});

test('a deprecated config key reaches a library caller as one process warning, and the policy still applies', async () => {
  const t2 = tempDir();
  const h = join(t2.dir, 'h');
  try {
    assert.equal(runCli(['--home', h, 'init', '--quiet']).code, 0);
    writeFileSync(join(h, 'config.yaml'), 'blocks:\n  max-failures: 2\n');
    const warnings: string[] = [];
    const onWarning = (w: Error) => {
      if (w.name === 'DeprecationWarning') warnings.push(w.message);
    };
    process.on('warning', onWarning);
    try {
      const now = new Date();
      const first = await recordFailure('198.51.100.9', 'auth', { home: h, now });
      const second = await recordFailure('198.51.100.9', 'auth', { home: h, now });
      assert.deepEqual([first.outcome, second.outcome], ['counted', 'blocked']);
      await new Promise((r) => setImmediate(r));
      assert.deepEqual(warnings, ['agentsec: config blocks.max-failures is deprecated: write blocks.maxFailures (the old spelling is read until the next release)']);
    } finally {
      process.off('warning', onWarning);
    }
  } finally {
    await closeAgentsec();
    t2.cleanup();
  }
});

test('isBlocked calls made together, after another process blocked an address, all see the block', async () => {
  assert.deepEqual(await isBlocked('192.0.2.150', { home }), { blocked: false, block: null });
  assert.equal(runCli(['--home', home, 'blocks', 'add', '192.0.2.150', '--for', '1h']).code, 0);
  // Past the once-a-millisecond check: the first call reads the change, the others wait for that read.
  await new Promise((r) => setTimeout(r, 5));
  const answers = await Promise.all(Array.from({ length: 3 }, () => isBlocked('192.0.2.150', { home })));
  assert.deepEqual(answers.map((a) => a.blocked), [true, true, true]);
  assert.equal(runCli(['--home', home, 'blocks', 'remove', '192.0.2.150']).code, 0);
});

test('a recordFailure whose transaction fails leaves isBlocked answering as the store does', async () => {
  const t2 = tempDir();
  const h = join(t2.dir, 'h');
  try {
    assert.equal(runCli(['--home', h, 'init', '--quiet']).code, 0);
    const now = new Date('2026-11-22T06:00:00Z');
    for (let i = 0; i < 4; i++) assert.equal((await recordFailure('192.0.2.200', 'auth', { home: h, now })).outcome, 'counted');
    // The fifth failure blocks, and the block's audit entry cannot be written: its whole transaction rolls back.
    const db = await openDb(join(h, 'agentsec.db'));
    try {
      db.exec("CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_entries BEGIN SELECT RAISE(ABORT, 'audit refused by the test'); END");
    } finally {
      db.close();
    }
    await assert.rejects(recordFailure('192.0.2.200', 'auth', { home: h, now }), /audit refused by the test/);
    const check = runCli(['--home', h, 'blocks', 'check', '192.0.2.200']);
    assert.equal(check.code, 0, 'the store holds no block');
    assert.deepEqual(await isBlocked('192.0.2.200', { home: h, now }), { blocked: false, block: null }, 'nor does the index');
  } finally {
    await closeAgentsec();
    t2.cleanup();
  }
});
