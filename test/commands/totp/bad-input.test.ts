import assert from 'node:assert/strict';
import { chmodSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { activeUser, cli, codeAt, enroll, initHome } from './helpers.js';

const T0 = Date.UTC(2026, 2, 1, 8, 0, 5);
let home: string;
let cleanup: () => void;
before(async () => ({ home, cleanup } = await initHome()));
after(() => cleanup());

function oneLine(stderr: string): void {
  assert.equal(stderr.trim().split('\n').length, 1, stderr);
  assert.ok(!/\bat .+:\d+:\d+/.test(stderr), 'no stack trace');
}

async function failureCount(user: string): Promise<number> {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(`${home}/agentsec.db`, { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM totp_failures f JOIN totp_users u ON u.id = f.user_id WHERE u.name = ?').get(user) as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('bad input', () => {
  it('malformed codes are usage errors that change nothing', async () => {
    await activeUser(home, 'alice', T0);
    for (const [input, why] of [
      ['abcdef', /neither a 6\/8-digit code/],
      ['12345', /6 or 8 digits, not 5/],
      ['1234567', /6 or 8 digits, not 7/],
      [' 123456', /whitespace/],
      ['123 456', /whitespace/],
      ['123456\n\n', /whitespace/],
      ['', /no code on stdin/],
    ] as const) {
      const r = await cli(home, ['totp', 'verify', 'alice'], { stdin: input, now: T0 + 60_000 });
      assert.equal(r.code, 2, JSON.stringify(input));
      assert.match(r.stderr, why);
      assert.equal(r.stdout, '');
      oneLine(r.stderr);
    }
    const flag = await cli(home, ['totp', 'verify', 'alice', '--code', '12-34-56'], { now: T0 });
    assert.equal(flag.code, 2);
    assert.match(flag.stderr, /--code is malformed/);
    assert.equal(await failureCount('alice'), 0, 'nothing counted');
  });

  it('unknown and pending users are negative verdicts, not counted', async () => {
    const unknown = await cli(home, ['totp', 'verify', 'nobody'], { stdin: '123456', now: T0 });
    assert.deepEqual([unknown.code, unknown.stdout], [1, 'UNKNOWN_USER\n']);
    oneLine(unknown.stderr);
    const e = await enroll(home, 'pat', [], T0);
    const pending = await cli(home, ['totp', 'verify', 'pat'], { stdin: codeAt(e, T0), now: T0 });
    assert.deepEqual([pending.code, pending.stdout], [1, 'PENDING\n']);
    assert.match(pending.stderr, /agentsec totp confirm pat/);
    assert.equal(await failureCount('pat'), 0);
  });

  it('bad user names and flags are one-line usage errors', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['totp', 'enroll', '-x'], /unknown option/],
      [['totp', 'enroll', 'bad name'], /USER 'bad name'/],
      [['totp', 'enroll', 'a:b'], /USER 'a:b'/],
      [['totp', 'enroll', 'ok', '--algorithm', 'MD5'], /--algorithm: unknown value 'MD5': use one of SHA1, SHA256, SHA512/],
      [['totp', 'enroll', 'ok', '--digits', '7'], /--digits: unknown value '7': did you mean 6 or 8\?/],
      [['totp', 'enroll', 'ok', '--period', '5'], /--period: use 15 to 120/],
      [['totp', 'enroll', 'ok', '--period', '30s'], /--period: give a whole number/],
      [['totp', 'enroll', 'ok', '--issuer', 'a:b'], /--issuer/],
      [['totp', 'verify', 'alice', '--window', '-1', '--code', '123456'], /--window/],
      [['totp', 'verify', 'alice', '--ip', '300.1.1.1', '--code', '123456'], /--ip '300.1.1.1'/],
      [['totp', 'confirm', 'alice', '--code', 'abcde-fghjk'], /backup code/],
      [['totp', 'backup-codes', 'nobody', '--regenerate'], /no TOTP user 'nobody'/],
      [['totp', 'remove', 'nobody'], /no TOTP user 'nobody'/],
    ];
    for (const [args, re] of cases) {
      const r = await cli(home, args, { now: T0 });
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, re);
      oneLine(r.stderr);
    }
    const list = await cli(home, ['--json', 'totp', 'list']);
    assert.ok(!(JSON.parse(list.stdout) as { users: Array<{ user: string }> }).users.some((u) => u.user === 'ok'), 'nothing half-written');
  });

  it('backup-codes --regenerate on a pending user refuses', async () => {
    const r = await cli(home, ['totp', 'backup-codes', 'pat', '--regenerate']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /not confirmed yet/);
  });

  it('a corrupted or moved seed ciphertext is a one-line runtime error with no state change', async () => {
    const a = await activeUser(home, 'mallory', T0);
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(`${home}/agentsec.db`);
    const row = db.prepare("SELECT id, seed_sealed FROM totp_users WHERE name = 'mallory'").get() as { id: string; seed_sealed: Buffer };
    const flipped = Buffer.from(row.seed_sealed);
    flipped[20] = (flipped[20] as number) ^ 1;
    db.prepare('UPDATE totp_users SET seed_sealed = ? WHERE id = ?').run(flipped, row.id);
    db.close();
    const t = T0 + 5 * 60_000;
    const r = await cli(home, ['totp', 'verify', 'mallory'], { stdin: codeAt(a, t), now: t });
    assert.equal(r.code, 3);
    assert.match(r.stderr, /cannot decrypt record totp_[A-Za-z0-9_-]+: wrong master key or tampered data/);
    oneLine(r.stderr);
    assert.equal(await failureCount('mallory'), 0);
    // Another user's intact ciphertext copied over does not open either: the user id is bound as associated data.
    const db2 = new Database(`${home}/agentsec.db`);
    const other = db2.prepare("SELECT seed_sealed FROM totp_users WHERE name = 'alice'").get() as { seed_sealed: Buffer };
    db2.prepare("UPDATE totp_users SET seed_sealed = ? WHERE name = 'mallory'").run(other.seed_sealed);
    db2.close();
    assert.equal((await cli(home, ['totp', 'verify', 'mallory'], { stdin: codeAt(a, t), now: t })).code, 3);
  });

  it('a home others can read, or no home, is refused before anything is read', async () => {
    const missing = await cli(`${home}-missing`, ['totp', 'list']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /run agentsec init/);
    chmodSync(home, 0o755);
    try {
      const r = await cli(home, ['totp', 'verify', 'alice'], { stdin: '123456' });
      assert.equal(r.code, 2);
      oneLine(r.stderr);
    } finally {
      chmodSync(home, 0o700);
    }
  });
});
