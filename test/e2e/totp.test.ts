import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runCli, tempDir } from '../support/cli.js';
import { seedToBase32, totpCode } from '../../src/core/totp/otp.js';
import { base32Decode } from '../commands/totp/helpers.js';

const tmp = tempDir('agentsec-e2e-totp-');
after(() => tmp.cleanup());

const HAVE_OATHTOOL = spawnSync('sh', ['-c', 'command -v oathtool'], { encoding: 'utf8' }).status === 0;

/** The code for a time: from Debian's oathtool when installed (independent of otplib), else from agentsec's core. */
function codeFor(secret: string, at: number): string {
  if (!HAVE_OATHTOOL) return totpCode(base32Decode(secret), { algorithm: 'SHA256', digits: 8, period: 30 }, at * 1000);
  const r = spawnSync('oathtool', ['--totp=sha256', '-b', '--digits=8', `--now=@${at}`, secret], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

test(`the built binary: enroll, confirm and verify with codes from ${HAVE_OATHTOOL ? 'oathtool' : 'agentsec itself (oathtool not installed: cross-check skipped)'}`, () => {
  const home = join(tmp.dir, 'h');
  assert.equal(runCli(['--home', home, 'init', '--quiet']).code, 0);
  const enrolled = runCli(['--home', home, '--json', 'totp', 'enroll', 'ops@example.com', '--algorithm', 'SHA256', '--digits', '8', '--issuer', 'ACME agents']);
  assert.equal(enrolled.code, 0, enrolled.stderr);
  const doc = JSON.parse(enrolled.stdout) as { secret: string; uri: string; status: string };
  assert.equal(doc.status, 'pending');
  assert.equal(base32Decode(doc.secret).length, 32);
  assert.equal(seedToBase32(base32Decode(doc.secret)), doc.secret);
  assert.ok(!enrolled.stderr.includes(doc.secret), 'the secret only on stdout');
  const now = Math.floor(Date.now() / 1000);
  const confirm = runCli(['--home', home, 'totp', 'confirm', 'ops@example.com'], { input: `${codeFor(doc.secret, now)}\n` });
  assert.equal(confirm.code, 0, confirm.stderr);
  const backup = confirm.stdout.trim().split('\n');
  assert.equal(backup.length, 10);
  // The next step's code is inside the default ±1 window and newer than the confirming one.
  const next = codeFor(doc.secret, now + 30);
  const ok = runCli(['--home', home, 'totp', 'verify', 'ops@example.com', '--ip', '2001:db8::7'], { input: next });
  assert.deepEqual([ok.code, ok.stdout], [0, 'VALID\n'], ok.stderr);
  const replay = runCli(['--home', home, 'totp', 'verify', 'ops@example.com'], { input: next });
  assert.deepEqual([replay.code, replay.stdout], [1, 'REPLAYED\n']);
  const bad = runCli(['--home', home, 'totp', 'verify', 'ops@example.com'], { input: '12ab5678' });
  assert.equal(bad.code, 2);
  assert.equal(bad.stderr.trim().split('\n').length, 1);
  const list = runCli(['--home', home, 'totp', 'list']);
  assert.match(list.stdout, /^ops@example\.com\tactive\tSHA256\/8\/30s\t.*\t10$/m);
  const everything = [list.stdout, list.stderr, runCli(['--home', home, 'audit', 'export']).stdout, runCli(['--home', home, '--json', 'totp', 'list']).stdout].join('\n');
  for (const s of [doc.secret, ...backup]) assert.ok(!everything.includes(s));
});

test('two processes verifying the same code at once: exactly one is VALID, the other REPLAYED', async () => {
  const { runCliAsync } = await import('../support/cli.js');
  const home = join(tmp.dir, 'race');
  assert.equal(runCli(['--home', home, 'init', '--quiet']).code, 0);
  const doc = JSON.parse(runCli(['--home', home, '--json', 'totp', 'enroll', 'race', '--algorithm', 'SHA256', '--digits', '8']).stdout) as { secret: string };
  const now = Math.floor(Date.now() / 1000);
  assert.equal(runCli(['--home', home, 'totp', 'confirm', 'race'], { input: codeFor(doc.secret, now) }).code, 0);
  const next = codeFor(doc.secret, now + 30);
  const results = await Promise.all([1, 2, 3].map(() => runCliAsync(['--home', home, 'totp', 'verify', 'race'], { input: next })));
  assert.deepEqual(results.map((r) => r.stdout.trim()).sort(), ['REPLAYED', 'REPLAYED', 'VALID'], results.map((r) => r.stderr).join('\n'));
});

/** A code that is wrong for every step the verifier might try while the test runs (±2 steps around now). */
function wrongCodeFor(secret: string): string {
  const now = Math.floor(Date.now() / 1000);
  const near = new Set([-60, -30, 0, 30, 60, 90].map((d) => codeFor(secret, now + d)));
  for (let n = 10_000_000; ; n++) if (!near.has(String(n))) return String(n);
}

test('40 parallel processes guessing: exactly maxFailures codes are checked, the rest are LOCKED, and so is the right code', async () => {
  const { runCliAsync } = await import('../support/cli.js');
  const home = join(tmp.dir, 'guess');
  assert.equal(runCli(['--home', home, 'init', '--quiet']).code, 0);
  const doc = JSON.parse(runCli(['--home', home, '--json', 'totp', 'enroll', 'target', '--algorithm', 'SHA256', '--digits', '8']).stdout) as { secret: string };
  const now = Math.floor(Date.now() / 1000);
  const confirm = runCli(['--home', home, 'totp', 'confirm', 'target'], { input: codeFor(doc.secret, now) });
  assert.equal(confirm.code, 0, confirm.stderr);
  const wrong = wrongCodeFor(doc.secret);
  // Half wrong TOTP codes, half wrong backup codes: both kinds share one lockout.
  const guesses = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? wrong : `zzzzz-zzzz${'abcdefghjk'[i % 10]}`));
  const results = await Promise.all(guesses.map((g) => runCliAsync(['--home', home, '--json', 'totp', 'verify', 'target'], { input: g })));
  const verdicts = results.map((r) => (JSON.parse(r.stdout) as { code: string }).code);
  const count = (c: string) => verdicts.filter((v) => v === c).length;
  assert.deepEqual([count('INVALID'), count('LOCKED')], [5, 35], results.map((r) => r.stderr).join(''));
  for (const r of results) assert.equal(r.code, 1);
  const right = runCli(['--home', home, '--json', 'totp', 'verify', 'target'], { input: codeFor(doc.secret, Math.floor(Date.now() / 1000) + 30) });
  assert.equal((JSON.parse(right.stdout) as { code: string }).code, 'LOCKED');
  // Every checked guess left exactly one failure row: nothing was checked without being counted.
  const Database = (await import('better-sqlite3')).default;
  const db = new Database(join(home, 'agentsec.db'), { readonly: true });
  try {
    assert.equal((db.prepare('SELECT COUNT(*) AS n FROM totp_failures').get() as { n: number }).n, 5);
  } finally {
    db.close();
  }
});
