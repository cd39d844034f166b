import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { activeUser, cli, codeAt, enroll, initHome } from './helpers.js';

const T0 = Date.UTC(2026, 0, 15, 12, 0, 10); // 10 s into a 30 s step
const MIN = 60_000;
let home: string;
let cleanup: () => void;
before(async () => ({ home, cleanup } = await initHome()));
after(() => cleanup());

type Verdict = { code: string; valid: boolean; failures?: number; lockedUntil?: string; backupCodesLeft?: number; drift?: number };
async function verify(user: string, code: string, now: number, extra: string[] = []): Promise<{ exit: number; v: Verdict; stderr: string }> {
  const r = await cli(home, ['--json', 'totp', 'verify', user, ...extra], { stdin: code, now });
  return { exit: r.code, v: JSON.parse(r.stdout) as Verdict, stderr: r.stderr };
}

describe('enroll, confirm, verify', () => {
  it('a pending user is refused until confirmed; confirmation prints 10 backup codes once', async () => {
    const e = await enroll(home, 'alice', [], T0);
    assert.match(e.uri, /^otpauth:\/\/totp\/agentsec:alice\?secret=[A-Z2-7]+&issuer=agentsec$/);
    assert.equal(e.seed.length, 20);
    const pending = await verify('alice', codeAt(e, T0), T0);
    assert.deepEqual([pending.exit, pending.v.code], [1, 'PENDING']);
    const right = codeAt(e, T0);
    const bad = await cli(home, ['totp', 'confirm', 'alice'], { stdin: `${right.slice(0, 5)}${(Number(right[5]) + 1) % 10}`, now: T0 });
    assert.equal(bad.code, 1);
    assert.equal(bad.stdout, 'INVALID\n');
    const ok = await cli(home, ['totp', 'confirm', 'alice'], { stdin: `${codeAt(e, T0)}\n`, now: T0 });
    assert.equal(ok.code, 0, ok.stderr);
    const codes = ok.stdout.trim().split('\n');
    assert.equal(codes.length, 10);
    for (const c of codes) assert.match(c, /^[a-z2-9]{5}-[a-z2-9]{5}$/);
    assert.ok(!ok.stderr.includes(codes[0] as string), 'backup codes only on stdout');
    const again = await cli(home, ['totp', 'confirm', 'alice'], { stdin: codeAt(e, T0 + 30_000), now: T0 + 30_000 });
    assert.equal(again.code, 2);
    assert.match(again.stderr, /already confirmed/);
  });

  it('accepts ±1 step by default, ±2 with --window 2, and never the same step twice', async () => {
    const e = await activeUser(home, 'bob', T0);
    // The confirming code's step is spent already.
    assert.equal((await verify('bob', codeAt(e, T0), T0)).v.code, 'REPLAYED');
    const t = T0 + 10 * MIN;
    const twoBack = codeAt(e, t - 60_000);
    // (A random seed's codes for neighbouring steps coincide once in ~300,000 runs; then there is nothing to test.)
    if (![-30_000, 0, 30_000].some((d) => codeAt(e, t + d) === twoBack)) assert.equal((await verify('bob', twoBack, t)).v.code, 'INVALID');
    const late = await verify('bob', codeAt(e, t - 30_000), t);
    assert.deepEqual([late.exit, late.v.code, late.v.drift], [0, 'VALID', -1]);
    const now = await verify('bob', codeAt(e, t), t);
    assert.deepEqual([now.exit, now.v.code, now.v.drift], [0, 'VALID', 0]);
    // The step before the last accepted one is a replay too, even inside the window.
    assert.equal((await verify('bob', codeAt(e, t - 30_000), t)).v.code, 'REPLAYED');
    assert.equal((await verify('bob', codeAt(e, t), t)).v.code, 'REPLAYED');
    const ahead = await verify('bob', codeAt(e, t + 60_000), t, ['--window', '2']);
    assert.deepEqual([ahead.v.code, ahead.v.drift], ['VALID', 2]);
    assert.equal((await cli(home, ['totp', 'verify', 'bob', '--window', '3', '--code', '123456'], { now: t })).code, 2);
  });

  it('backup codes work once each and say how many remain; regenerate replaces them', async () => {
    const e = await activeUser(home, 'carol', T0);
    const [first, second] = e.backupCodes as [string, string];
    const used = await verify('carol', first.toUpperCase(), T0 + MIN);
    assert.deepEqual([used.exit, used.v.code, used.v.backupCodesLeft], [0, 'VALID_BACKUP_CODE', 9]);
    assert.match(used.stderr, /9 left/);
    const reused = await verify('carol', first, T0 + MIN);
    assert.deepEqual([reused.exit, reused.v.code], [1, 'INVALID']);
    assert.equal((await verify('carol', second.replace('-', ''), T0 + MIN)).v.code, 'VALID_BACKUP_CODE');
    const left = await cli(home, ['totp', 'backup-codes', 'carol']);
    assert.equal(left.stdout, '8\n');
    const regen = await cli(home, ['totp', 'backup-codes', 'carol', '--regenerate', '--yes']);
    assert.equal(regen.code, 0, regen.stderr);
    const fresh = regen.stdout.trim().split('\n');
    assert.equal(fresh.length, 10);
    assert.equal((await verify('carol', e.backupCodes[2] as string, T0 + 2 * MIN)).v.code, 'INVALID', 'old codes stop working');
    assert.equal((await verify('carol', fresh[0] as string, T0 + 2 * MIN)).v.code, 'VALID_BACKUP_CODE');
  });

  it('five failures in 15 minutes lock for 15 minutes, even for the right code; a lock ends', async () => {
    const e = await activeUser(home, 'dave', T0);
    const t = T0 + 60 * MIN;
    for (let i = 1; i <= 4; i++) {
      const r = await verify('dave', '000000' === codeAt(e, t) ? '111111' : '000000', t + i * 1000, ['--ip', '203.0.113.9']);
      assert.deepEqual([r.v.code, r.v.failures, r.v.lockedUntil], ['INVALID', i, undefined]);
    }
    const fifth = await verify('dave', '99999999', t + 5000);
    assert.deepEqual([fifth.exit, fifth.v.code, fifth.v.failures], [1, 'INVALID', 5]);
    assert.equal(fifth.v.lockedUntil, new Date(t + 5000 + 15 * MIN).toISOString());
    const locked = await verify('dave', codeAt(e, t + 6000), t + 6000);
    assert.deepEqual([locked.exit, locked.v.code], [1, 'LOCKED']);
    const list = await cli(home, ['--json', 'totp', 'list'], { now: t + 6000 });
    const dave = (JSON.parse(list.stdout) as { users: Array<{ user: string; status: string }> }).users.find((u) => u.user === 'dave');
    assert.equal(dave?.status, 'locked');
    const later = t + 5000 + 15 * MIN;
    assert.equal((await verify('dave', codeAt(e, later), later)).v.code, 'VALID');
  });

  it('failures older than the window do not add up; a success clears the count', async () => {
    const e = await activeUser(home, 'erin', T0);
    const wrong = (t: number) => (codeAt(e, t) === '000000' ? '111111' : '000000');
    let t = T0 + 2 * 60 * MIN;
    for (let i = 0; i < 4; i++) await verify('erin', wrong(t), t);
    t += 16 * MIN;
    const r = await verify('erin', wrong(t), t);
    assert.deepEqual([r.v.code, r.v.failures], ['INVALID', 1]);
    for (let i = 0; i < 3; i++) await verify('erin', wrong(t), t);
    assert.equal((await verify('erin', codeAt(e, t), t)).v.code, 'VALID');
    const after = await verify('erin', wrong(t + 1000), t + 1000);
    assert.equal(after.v.failures, 1);
  });

  it('the lockout policy comes from config.yaml', async () => {
    const { home: h2, cleanup: c2 } = await initHome();
    try {
      const { writeFileSync } = await import('node:fs');
      writeFileSync(`${h2}/config.yaml`, 'totp:\n  maxFailures: 2\n  failureWindow: 1m\n  lockout: 1h\n', { mode: 0o600 });
      const e = await activeUser(h2, 'frank', T0);
      const wrong = codeAt(e, T0 + MIN) === '000000' ? '111111' : '000000';
      await cli(h2, ['totp', 'verify', 'frank'], { stdin: wrong, now: T0 + MIN });
      const r = await cli(h2, ['--json', 'totp', 'verify', 'frank'], { stdin: wrong, now: T0 + MIN });
      assert.equal((JSON.parse(r.stdout) as Verdict).lockedUntil, new Date(T0 + MIN + 60 * MIN).toISOString());
    } finally {
      c2();
    }
  });

  it('re-enrolling needs --force and invalidates the old seed and backup codes', async () => {
    const e = await activeUser(home, 'gina', T0);
    const refused = await cli(home, ['totp', 'enroll', 'gina'], { now: T0 });
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /--force/);
    const e2 = await enroll(home, 'gina', ['--force', '--yes', '--algorithm', 'SHA512', '--digits', '8'], T0 + MIN);
    assert.equal(e2.seed.length, 64);
    assert.notEqual(e2.id, e.id);
    const t = T0 + 2 * MIN;
    const old = await cli(home, ['totp', 'confirm', 'gina'], { stdin: codeAt(e, t), now: t });
    assert.deepEqual([old.code, old.stdout], [1, 'INVALID\n'], 'the old seed no longer works');
    const ok = await cli(home, ['--json', 'totp', 'confirm', 'gina'], { stdin: codeAt(e2, t), now: t });
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal((await verify('gina', e.backupCodes[0] as string, t)).v.code, 'INVALID');
  });

  it('list shows status, algorithm and backup codes left; remove deletes', async () => {
    await enroll(home, 'hank', ['--algorithm', 'sha256'], T0);
    const list = await cli(home, ['--json', 'totp', 'list'], { now: T0 + 3 * 60 * MIN });
    const users = (JSON.parse(list.stdout) as { users: Array<Record<string, unknown>> }).users;
    const hank = users.find((u) => u['user'] === 'hank');
    assert.deepEqual([hank?.['status'], hank?.['algorithm'], hank?.['backupCodesLeft']], ['pending', 'SHA256', 0]);
    assert.equal(users.find((u) => u['user'] === 'bob')?.['status'], 'active');
    assert.equal(users.find((u) => u['user'] === 'bob')?.['backupCodesLeft'], 10);
    for (const u of users) assert.deepEqual(Object.keys(u).filter((k) => /seed|secret|hash|code$/i.test(k)), []);
    const tsv = await cli(home, ['totp', 'list'], { now: T0 });
    assert.match(tsv.stdout, /^alice\tactive\tSHA1\/6\/30s\t/m);
    assert.equal((await cli(home, ['totp', 'remove', 'hank', '--yes'])).code, 0);
    const gone = await cli(home, ['totp', 'remove', 'hank', '--yes']);
    assert.equal(gone.code, 2);
    assert.match(gone.stderr, /no TOTP user 'hank'/);
    assert.equal((await verify('hank', '123456', T0)).v.code, 'UNKNOWN_USER');
  });

  it('the store never holds a seed or a backup code in clear', async () => {
    const e = await activeUser(home, 'ivy', T0);
    await cli(home, ['totp', 'list']); // checkpoint-free WAL: read both files
    const bytes = Buffer.concat([readFileSync(`${home}/agentsec.db`), ...['-wal'].flatMap((s) => { try { return [readFileSync(`${home}/agentsec.db${s}`)]; } catch { return []; } })]);
    assert.equal(bytes.indexOf(e.seed), -1);
    assert.equal(bytes.indexOf(Buffer.from(e.secret)), -1);
    for (const c of e.backupCodes) {
      assert.equal(bytes.indexOf(Buffer.from(c)), -1);
      assert.equal(bytes.indexOf(Buffer.from(c.replace('-', ''))), -1);
    }
  });
});
