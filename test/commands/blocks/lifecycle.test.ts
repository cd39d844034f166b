import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { T0, at, cli, initHome, json } from './helpers.js';

let home: string;
let cleanup: () => void;
before(async () => ({ home, cleanup } = await initHome()));
after(() => cleanup());

type Block = { value: string; scope: string; expiresAt: string | null; count: number; status: string; reason: string | null };

test('add, check, list, remove; a block stops matching at its expiry instant', async () => {
  const add = await json<{ block: Block }>(home, ['blocks', 'add', '::FFFF:192.0.2.10', '--for', '30m', '--reason', 'scanner'], T0);
  assert.equal(add.code, 0, add.stderr);
  assert.equal(add.doc.block.value, '192.0.2.10');
  assert.equal(add.doc.block.expiresAt, at(1_800_000).toISOString());
  assert.equal((await cli(home, ['blocks', 'check', '192.0.2.10'], { now: at(1_799_999) })).code, 1);
  const expired = await cli(home, ['blocks', 'check', '192.0.2.10'], { now: at(1_800_000) });
  assert.equal(expired.code, 0);
  assert.match(expired.stdout, /^not-blocked\t192\.0\.2\.10/);
  assert.equal((await json<{ blocks: Block[] }>(home, ['blocks', 'list'], at(1_800_000))).doc.blocks.length, 0);
  assert.equal((await json<{ blocks: Block[] }>(home, ['blocks', 'list', '--all'], at(1_800_000))).doc.blocks[0]?.status, 'expired');

  assert.equal((await cli(home, ['blocks', 'add', '198.51.100.0/24', '--permanent'], { now: T0 })).code, 0);
  const check = await json<{ blocked: boolean; block: Block }>(home, ['blocks', 'check', '198.51.100.77'], at(86_400_000 * 365));
  assert.equal(check.code, 1);
  assert.equal(check.doc.block.value, '198.51.100.0/24');
  assert.equal(check.doc.block.expiresAt, null);
  const rm = await json<{ removed: boolean }>(home, ['blocks', 'remove', '198.51.100.0/24'], at(1000));
  assert.equal(rm.doc.removed, true);
  assert.equal((await cli(home, ['blocks', 'check', '198.51.100.77'], { now: at(2000) })).code, 0);
  const again = await json<{ removed: boolean }>(home, ['blocks', 'remove', '198.51.100.0/24'], at(3000));
  assert.equal(again.code, 0);
  assert.equal(again.doc.removed, false);

  assert.equal((await cli(home, ['blocks', 'add', '2001:db8:a::/48', '--until', '2026-11-23T00:00:00Z'], { now: T0 })).code, 0);
  const v6 = await json<{ block: Block }>(home, ['blocks', 'check', '2001:DB8:A:0::9'], T0);
  assert.equal(v6.doc.block.value, '2001:db8:a::/48');
  assert.equal(v6.doc.block.expiresAt, '2026-11-23T00:00:00.000Z');
});

test('record: five failures in find-time block, the next is already-blocked; repeat offenders escalate', async () => {
  const ip = '203.0.113.50';
  const outcomes: string[] = [];
  for (let i = 0; i < 6; i++) outcomes.push(((await json<{ outcome: string }>(home, ['blocks', 'record', ip], at(i * 60_000))).doc.outcome));
  assert.deepEqual(outcomes, ['counted', 'counted', 'counted', 'counted', 'blocked', 'already-blocked']);
  const first = await json<{ block: Block }>(home, ['blocks', 'check', ip], at(5 * 60_000));
  assert.equal(first.doc.block.expiresAt, at(4 * 60_000 + 3_600_000).toISOString());
  assert.equal(first.doc.block.count, 1);
  // After the block ends, the failures from before it do not count again.
  const after1 = at(4 * 60_000 + 3_600_000);
  assert.equal((await json<{ outcome: string; failures: number }>(home, ['blocks', 'record', ip], after1)).doc.failures, 1);
  for (let i = 1; i < 5; i++) await cli(home, ['blocks', 'record', ip, '--kind', 'ratelimit'], { now: new Date(after1.getTime() + i * 1000) });
  const second = await json<{ block: Block }>(home, ['blocks', 'check', ip], new Date(after1.getTime() + 5000));
  assert.equal(second.doc.block.count, 2);
  assert.equal(Date.parse(second.doc.block.expiresAt as string) - (after1.getTime() + 4000), 2 * 3_600_000, 'second block lasts twice as long');
  // Failures spread wider than find-time never block.
  for (let i = 0; i < 8; i++) assert.equal((await json<{ outcome: string }>(home, ['blocks', 'record', '203.0.113.51'], at(i * 11 * 60_000))).doc.outcome, 'counted');
});

test('allowlist: loopback failures never block and loopback cannot be blocked by hand', async () => {
  for (let i = 0; i < 6; i++) assert.equal((await json<{ outcome: string }>(home, ['blocks', 'record', '127.0.0.1'], at(i))).doc.outcome, 'allowlisted');
  const r = await cli(home, ['blocks', 'add', '127.0.0.0/16']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /overlaps the allowlist entry 127\.0\.0\.0\/8/);
});

test('--ipv6-prefix 64 counts and blocks a /64 as one', async () => {
  for (let i = 1; i <= 5; i++) await cli(home, ['blocks', 'record', `2001:db8:5:6::${i}`, '--ipv6-prefix', '64'], { now: at(i) });
  const c = await json<{ block: Block }>(home, ['blocks', 'check', '2001:db8:5:6:ffff::1'], at(10));
  assert.equal(c.code, 1);
  assert.equal(c.doc.block.value, '2001:db8:5:6::/64');
  assert.equal(c.doc.block.scope, 'range');
});

test('policy shows config.yaml over the defaults; a bad config is a one-line configuration error', async () => {
  const { home: h, cleanup: done } = await initHome();
  try {
    const cfg = join(h, 'config.yaml');
    writeFileSync(cfg, 'blocks:\n  max-failures: 3\n  find-time: 1m\n  ipv6-prefix: 64\n');
    const p = await json<{ policy: { maxFailures: number; findTime: string; ipv6Prefix: number } }>(h, ['blocks', 'policy']);
    assert.deepEqual([p.doc.policy.maxFailures, p.doc.policy.findTime, p.doc.policy.ipv6Prefix], [3, '1m', 64]);
    for (let i = 0; i < 3; i++) await cli(h, ['blocks', 'record', '192.0.2.200'], { now: at(i) });
    assert.equal((await cli(h, ['blocks', 'check', '192.0.2.200'], { now: at(5) })).code, 1);
    for (const bad of ['blocks:\n  max-falures: 3\n', 'blocks:\n  find-time: soon\n', 'blocks:\n  allowlist: [10.0.0.1/8]\n']) {
      writeFileSync(cfg, bad);
      const r = await cli(h, ['blocks', 'record', '192.0.2.201']);
      assert.equal(r.code, 2, bad);
      assert.equal(r.stderr.trim().split('\n').length, 1);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    }
  } finally {
    done();
  }
});

test('config blocks: camelCase keys; the old kebab-case spelling still works, with one deprecation warning; both at once are refused', async () => {
  const { home: h, cleanup: done } = await initHome();
  try {
    const cfg = join(h, 'config.yaml');
    writeFileSync(cfg, 'blocks:\n  maxFailures: 3\n  findTime: 1m\n  ipv6Prefix: 64\n  nginx:\n    authStatuses: [401]\n');
    const fresh = await cli(h, ['blocks', 'policy']);
    assert.equal(fresh.code, 0);
    assert.equal(fresh.stderr, '');
    assert.match(fresh.stdout, /maxFailures\s+3/);
    writeFileSync(cfg, 'blocks:\n  max-failures: 3\n  find-time: 1m\n  ipv6-prefix: 64\n  nginx:\n    auth-statuses: [401]\n');
    const old = await cli(h, ['blocks', 'policy']);
    assert.equal(old.code, 0);
    assert.equal(old.stdout, fresh.stdout);
    const warnings = old.stderr.trim().split('\n');
    assert.equal(warnings.length, 4, old.stderr);
    assert.match(old.stderr, /blocks\.max-failures is deprecated: write blocks\.maxFailures/);
    writeFileSync(cfg, 'blocks:\n  find-time: 1m\n  findTime: 2m\n');
    const both = await cli(h, ['blocks', 'policy']);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /same setting: keep only findTime/);
  } finally {
    done();
  }
});

test('bad input: one line on stderr, non-zero exit, nothing written', async () => {
  const before = (await json<{ blocks: Block[] }>(home, ['blocks', 'list', '--all'])).doc.blocks.length;
  const cases: Array<[string[], number, RegExp]> = [
    [['blocks', 'add', 'not-an-ip'], 2, /not an IP address or CIDR/],
    [['blocks', 'add', '10.0.0.1/8'], 2, /host bits set: did you mean 10\.0\.0\.0\/8\?/],
    [['blocks', 'add', '10.0.0.0/33'], 2, /invalid prefix length/],
    [['blocks', 'add', '192.0.2.1', '--for', 'forever'], 2, /--for: invalid duration/],
    [['blocks', 'add', '192.0.2.1', '--for', '1h', '--permanent'], 2, /only one of --for, --until and --permanent/],
    [['blocks', 'add', '192.0.2.1', '--until', 'tomorrow'], 2, /--until/],
    [['blocks', 'add', '192.0.2.1', '--until', '2000-01-01'], 2, /in the past/],
    [['blocks', 'add', '192.0.2.1', '--reason', 'a\nb'], 2, /--reason/],
    [['blocks', 'check', '10.0.0.0/8'], 2, /not an IP address/],
    [['blocks', 'check', '1.2.3'], 2, /not an IP address/],
    [['blocks', 'record', '1.2.3.4', '--kind', 'oops'], 2, /--kind/],
    [['blocks', 'record', '1.2.3.4', '--ipv6-prefix', '200'], 2, /--ipv6-prefix/],
    [['blocks', 'purge'], 2, /--older-than is required/],
    [['blocks', 'tail', '-n', 'many'], 2, /-n/],
    [['blocks', 'export', '--format', 'pf'], 2, /--format/],
    [['blocks', 'export', '--then', 'true'], 2, /--then needs --output/],
    [['blocks', 'ingest', '/nonexistent/access.log'], 2, /log file \/nonexistent\/access\.log: no such file or directory/],
    [['blocks', 'ingest', '-', '--follow'], 2, /--follow needs a file/],
    [['blocks', 'ingest', '-', '--format', 'apache'], 2, /--format/],
    [['blocks', 'import', '--from', 'crowdsec', '/tmp/x'], 2, /--from/],
    [['blocks', 'import', '--from', 'fail2ban', '/nonexistent.sqlite3'], 2, /no such file/],
  ];
  for (const [args, code, re] of cases) {
    const r = await cli(home, args);
    assert.equal(r.code, code, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re, args.join(' '));
    assert.equal(r.stderr.trim().split('\n').length, 1, args.join(' '));
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  }
  assert.equal((await json<{ blocks: Block[] }>(home, ['blocks', 'list', '--all'])).doc.blocks.length, before);
  const missing = await cli(join(home, 'nope'), ['blocks', 'list']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /run agentsec init/);
});

test('an unsafe home is refused', async () => {
  const { home: h, cleanup: done } = await initHome();
  try {
    chmodSync(h, 0o777);
    const r = await cli(h, ['blocks', 'add', '192.0.2.1']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  } finally {
    chmodSync(h, 0o700);
    done();
  }
});

test('purge trims history and long-expired blocks, keeps active ones', async () => {
  const { home: h, cleanup: done } = await initHome();
  try {
    await cli(h, ['blocks', 'add', '192.0.2.1', '--for', '1h'], { now: T0 });
    await cli(h, ['blocks', 'add', '192.0.2.2', '--permanent'], { now: T0 });
    const p = await json<{ removed: { events: number; blocks: number } }>(h, ['blocks', 'purge', '--older-than', '90d'], at(100 * 86_400_000));
    // The permanent block's own block event stays however old: it is the block's decision id (decision API).
    assert.deepEqual([p.doc.removed.events, p.doc.removed.blocks], [1, 1]);
    const all = await json<{ blocks: Block[] }>(h, ['blocks', 'list', '--all'], at(100 * 86_400_000));
    assert.deepEqual(all.doc.blocks.map((b) => b.value), ['192.0.2.2']);
  } finally {
    done();
  }
});
