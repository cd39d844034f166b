import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { run } from '../../src/cli/main.js';
import { fingerprint, generateSigningKey } from '../../src/core/audit/keys.js';
import { AuditKeyring } from '../../src/platform/audit-keyring.js';
import { tempDir } from '../support/cli.js';
import { fakeIo } from '../support/io.js';
import { activeUser, codeAt } from '../commands/totp/helpers.js';

const tmp = tempDir('agentsec-key-loss-');
after(() => tmp.cleanup());
let homes = 0;

const T0 = Date.parse('2026-06-01T12:00:00Z');
const MIN = 60_000;
const EPOCH = 15 * MIN;

interface Result {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The CLI in-process with the test's clock (the hook every command reads time through). */
async function cli(home: string, now: number, args: string[], opts: { stdin?: string; tty?: boolean; answer?: string } = {}): Promise<Result> {
  const io = fakeIo({ stdin: opts.stdin ?? '', ...(opts.tty ? { stdinTTY: true, stderrTTY: true } : {}) });
  const prompt = opts.answer !== undefined ? { prompt: async () => opts.answer as string } : {};
  const code = await run(['--home', home, ...args], io, { ctxOverrides: { clock: () => new Date(now), ...prompt } });
  return { code, stdout: io.out(), stderr: io.err() };
}

function json<T>(r: Result): T {
  assert.equal(r.stderr.includes('internal error'), false, r.stderr);
  return JSON.parse(r.stdout) as T;
}

/** Exactly one warning line, saying the key is gone, that the change was recorded, and how to recover. */
function oneKeyWarning(r: Result, what: string): void {
  assert.equal(r.code, 0, `${what}: ${r.stderr}`);
  const warnings = r.stderr.split('\n').filter((l) => l.startsWith('warning:'));
  assert.equal(warnings.length, 1, `${what}: ${r.stderr}`);
  assert.match(warnings[0] as string, /audit signing key for epoch \d+ is missing .*recorded in the audit chain all the same.*agentsec audit rekey/, what);
  assert.doesNotMatch(r.stderr, /keep appending|\n\s+at /);
}

async function freshHome(): Promise<{ home: string; pubkey: string }> {
  const home = join(tmp.dir, `h${++homes}`);
  const init = await cli(home, T0, ['init', '--quiet']);
  assert.equal(init.code, 0, init.stderr);
  return { home, pubkey: init.stdout.trim() };
}

function deleteKeys(home: string): void {
  for (const f of readdirSync(join(home, 'audit-keys'))) rmSync(join(home, 'audit-keys', f));
}

function verifyDoc(r: Result): { verdict: string; problems: Array<{ kind: string; seq?: number; toSeq?: number; epoch?: number; detail: string }>; incomplete: string[]; resets: Array<{ epoch: number; key: string; acceptedBy: string | null }> } {
  return json(r);
}

describe('the current audit signing key lost: security responses still take effect', () => {
  let home = '';
  let pubkey = '';
  let newKey = '';
  const t1 = T0 + EPOCH + MIN;

  test('revoke, block, lockout, issue and every append succeed and take effect, each with one warning', async () => {
    ({ home, pubkey } = await freshHome());
    const k1 = json<{ key: string; id: string }>(await cli(home, T0, ['--json', 'keys', 'issue', '--name', 'one']));
    assert.equal((await cli(home, T0, ['jwt', 'keygen'])).code, 0);
    const token = json<{ accessToken: string }>(await cli(home, T0, ['--json', 'jwt', 'issue', '--sub', 'alice', '--ttl', '1h'])).accessToken;
    const dave = await activeUser(home, 'dave', T0);
    deleteKeys(home);

    // One epoch later every write is due to seal first, and cannot.
    const revoke = await cli(home, t1, ['--yes', 'keys', 'revoke', k1.id]);
    oneKeyWarning(revoke, 'keys revoke');
    assert.equal(json<{ code: string }>(await cli(home, t1, ['--json', 'keys', 'verify'], { stdin: k1.key })).code, 'REVOKED');

    oneKeyWarning(await cli(home, t1, ['--yes', 'jwt', 'revoke', '--sub', 'alice']), 'jwt revoke');
    const jwtVerdict = await cli(home, t1 + 1000, ['--json', 'jwt', 'verify'], { stdin: token });
    assert.equal(jwtVerdict.code, 1);
    assert.equal(json<{ reason: string }>(jwtVerdict).reason, 'revoked');

    const issued = await cli(home, t1, ['--json', 'keys', 'issue', '--name', 'two']);
    oneKeyWarning(issued, 'keys issue');
    assert.equal(json<{ code: string }>(await cli(home, t1, ['--json', 'keys', 'verify'], { stdin: json<{ key: string }>(issued).key })).code, 'VALID');

    oneKeyWarning(await cli(home, t1, ['blocks', 'add', '203.0.113.9', '--for', '1h']), 'blocks add');
    assert.equal((await cli(home, t1, ['blocks', 'check', '203.0.113.9'])).code, 1);

    for (let i = 1; i <= 4; i++) assert.equal((await cli(home, t1 + i, ['blocks', 'record', '198.51.100.7'])).code, 0);
    const fifth = await cli(home, t1 + 5, ['--json', 'blocks', 'record', '198.51.100.7']);
    oneKeyWarning(fifth, 'blocks record at the threshold');
    assert.equal((await cli(home, t1 + 6, ['blocks', 'check', '198.51.100.7'])).code, 1, 'the fifth failure blocked the address');

    const wrong = (t: number) => (codeAt(dave, t) === '000000' ? '111111' : '000000');
    for (let i = 1; i <= 4; i++) assert.equal((await cli(home, t1 + i * 1000, ['totp', 'verify', 'dave'], { stdin: wrong(t1 + i * 1000) })).code, 1);
    const lockout = await cli(home, t1 + 5000, ['--json', 'totp', 'verify', 'dave'], { stdin: wrong(t1 + 5000) });
    assert.equal(lockout.code, 1);
    oneKeyWarning({ ...lockout, code: 0 }, 'totp verify at the lockout');
    assert.equal(json<{ code: string }>(await cli(home, t1 + 6000, ['--json', 'totp', 'verify', 'dave'], { stdin: codeAt(dave, t1 + 6000) })).code, 'LOCKED');

    oneKeyWarning(await cli(home, t1, ['audit', 'append', '--type', 'app.deploy']), 'audit append');

    const log = (await cli(home, t1, ['--json', 'audit', 'log'])).stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; data: Record<string, unknown> });
    const types = log.map((e) => e.type);
    for (const t of ['keys.revoke', 'jwt.revoke', 'keys.issue', 'blocks.block', 'totp.lockout', 'app.deploy']) assert.ok(types.includes(t), `${t} recorded: ${types.join(' ')}`);
    assert.equal(types.filter((t) => t === 'audit.seal-failed').length, 1, 'the failed seal is recorded once, in the chain itself');
    assert.deepEqual(log.find((e) => e.type === 'audit.seal-failed')?.data['reason'], 'missing');
  });

  test('doctor fails the check, status and seal say so, verify reports it', async () => {
    const doctor = await cli(home, t1, ['--json', 'doctor']);
    assert.equal(doctor.code, 1);
    const check = json<{ checks: Array<{ name: string; status: string; detail: string }> }>(doctor).checks.find((c) => c.name === 'audit signing key');
    assert.equal(check?.status, 'fail');
    assert.match(check?.detail ?? '', /missing.*audit rekey/);
    assert.equal(json<{ signingKey: string }>(await cli(home, t1, ['--json', 'audit', 'status'])).signingKey, 'missing');
    const seal = await cli(home, t1, ['audit', 'seal']);
    assert.equal(seal.code, 3);
    assert.match(seal.stderr, /^agentsec: cannot seal epoch 1: the audit signing key for epoch 1 is missing .*audit rekey/);
    assert.equal(seal.stderr.trim().split('\n').length, 1);
    const verify = await cli(home, t1, ['--json', 'audit', 'verify', '--pubkey', pubkey]);
    assert.equal(verify.code, 3, verify.stderr);
    const doc = verifyDoc(verify);
    assert.equal(doc.verdict, 'incomplete');
    assert.ok(doc.incomplete.some((i) => /signing key for epoch 1 is missing.*audit rekey/.test(i)), doc.incomplete.join('; '));
    assert.equal((await cli(home, t1, ['audit', 'verify', '--pubkey', pubkey, '--strict'])).code, 1);
    // Unlike the ordinary "incomplete" between two seals (exit 0), a lost key stays loud: exit 3 and a warning.
    const plain = await cli(home, t1, ['audit', 'verify', '--pubkey', pubkey]);
    assert.equal(plain.code, 3, plain.stderr);
    assert.match(plain.stderr, /^warning: verified, but this host cannot seal: exit 3 until agentsec audit rekey$/m);
  });

  test('audit rekey asks first: without --yes it refuses and changes nothing', async () => {
    const before = json<{ checkpoints: number }>(await cli(home, t1, ['--json', 'audit', 'status'])).checkpoints;
    const piped = await cli(home, t1, ['audit', 'rekey']);
    assert.equal(piped.code, 2);
    assert.match(piped.stderr, /key-reset at epoch 1 .*--yes/);
    assert.equal(piped.stderr.trim().split('\n').length, 1);
    const declined = await cli(home, t1, ['audit', 'rekey'], { tty: true, answer: 'n' });
    assert.equal(declined.code, 2);
    assert.match(declined.stderr, /not confirmed, nothing changed/);
    assert.equal(json<{ checkpoints: number }>(await cli(home, t1, ['--json', 'audit', 'status'])).checkpoints, before);
  });

  test('audit rekey starts a new key line; verify shows it as a located key-reset until accepted or pinned', async () => {
    const rekey = await cli(home, t1 + 10_000, ['--yes', '--json', 'audit', 'rekey']);
    assert.equal(rekey.code, 0, rekey.stderr);
    const doc = json<{ epoch: number; publicKey: string; reason: string }>(rekey);
    assert.deepEqual([doc.epoch, doc.reason], [1, 'missing']);
    newKey = doc.publicKey;
    assert.notEqual(newKey, pubkey);
    assert.deepEqual(readdirSync(join(home, 'audit-keys')), ['epoch-2.key'], 'the new line vouches for the next key only; the reset key never touched the disk');

    const now = t1 + 20_000;
    const plain = await cli(home, now, ['--json', 'audit', 'verify', '--pubkey', pubkey]);
    assert.equal(plain.code, 1, 'the original pinned key never passes across a reset');
    const problems = verifyDoc(plain).problems;
    assert.deepEqual(problems.map((p) => `${p.kind}@e${p.epoch}`), ['key-reset@e1']);
    assert.match(problems[0]?.detail ?? '', /^key-reset at epoch 1: .*--accept-reset 1/);
    assert.equal(problems[0]?.seq, 1, 'located from the first entry the lost key should have sealed');

    const fromStore = await cli(home, now, ['--json', 'audit', 'verify']);
    assert.equal(fromStore.code, 1, 'nor does the key recorded in the store');

    const accepted = await cli(home, now, ['--json', 'audit', 'verify', '--pubkey', pubkey, '--accept-reset', '1']);
    assert.equal(accepted.code, 0, accepted.stdout);
    assert.deepEqual(verifyDoc(accepted).resets, [{ epoch: 1, key: fingerprint(newKey), acceptedBy: 'accept-reset' }]);
    const wrongEpoch = await cli(home, now, ['--json', 'audit', 'verify', '--pubkey', pubkey, '--accept-reset', '2']);
    assert.equal(wrongEpoch.code, 1);

    const pinned = await cli(home, now, ['--json', 'audit', 'verify', '--pubkey', pubkey, '--pubkey', newKey]);
    assert.equal(pinned.code, 0, pinned.stdout);
    assert.equal(verifyDoc(pinned).resets[0]?.acceptedBy, 'pinned-key');
    const file = join(tmp.dir, `pins-${homes}.pub`);
    writeFileSync(file, `# epoch 0, from agentsec init\n${pubkey}\n# from agentsec audit rekey\n${newKey}\n`);
    assert.equal((await cli(home, now, ['audit', 'verify', '--pubkey-file', file])).code, 0);
    assert.equal((await cli(home, now, ['audit', 'verify', '--pubkey', newKey])).code, 1, 'the new key alone does not vouch for checkpoint 0');
  });

  test('after the rekey the chain seals again and nothing warns; a second rekey has nothing to recover', async () => {
    const later = t1 + EPOCH + 2 * MIN;
    const append = await cli(home, later, ['audit', 'append', '--type', 'app.after']);
    assert.equal(append.code, 0, append.stderr);
    assert.equal(append.stderr, '');
    assert.equal((await cli(home, later, ['audit', 'seal', '--force'])).code, 0);
    assert.equal((await cli(home, later, ['doctor'])).code, 0);
    assert.equal((await cli(home, later, ['audit', 'verify', '--pubkey', pubkey, '--pubkey', newKey])).code, 0);
    const again = await cli(home, later, ['--yes', 'audit', 'rekey']);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /nothing to recover/);
  });
});

describe('an older agentsec.db restored from a backup', () => {
  test('with newer key files beside it: same state, same recovery', async () => {
    const { home, pubkey } = await freshHome();
    const db = join(home, 'agentsec.db');
    let t = T0;
    const k = json<{ key: string; id: string }>(await cli(home, t, ['--json', 'keys', 'issue', '--name', 'backed-up']));
    t += EPOCH + MIN;
    assert.equal((await cli(home, t, ['audit', 'seal'])).code, 0);
    const backup = join(tmp.dir, `backup-${homes}.db`);
    const src = new Database(db);
    src.exec(`VACUUM INTO '${backup}'`);
    src.close();
    // The live chain goes on for three more epochs: its key files move on with it.
    for (let i = 0; i < 3; i++) {
      t += EPOCH + MIN;
      assert.equal((await cli(home, t, ['audit', 'append', '--type', 'app.tick'])).code, 0);
    }
    assert.deepEqual(readdirSync(join(home, 'audit-keys')), ['epoch-5.key']);
    for (const f of ['agentsec.db-wal', 'agentsec.db-shm']) rmSync(join(home, f), { force: true });
    copyFileSync(backup, db);
    chmodSync(db, 0o600);

    t += EPOCH + MIN;
    oneKeyWarning(await cli(home, t, ['--yes', 'keys', 'revoke', k.id]), 'keys revoke on the restored store');
    assert.equal(json<{ code: string }>(await cli(home, t, ['--json', 'keys', 'verify'], { stdin: k.key })).code, 'REVOKED');
    oneKeyWarning(await cli(home, t, ['blocks', 'add', '192.0.2.1']), 'blocks add on the restored store');
    assert.equal((await cli(home, t, ['audit', 'seal'])).code, 3);
    assert.equal((await cli(home, t, ['doctor'])).code, 1);

    const rekey = await cli(home, t, ['--yes', 'audit', 'rekey']);
    assert.equal(rekey.code, 0, rekey.stderr);
    assert.deepEqual(readdirSync(join(home, 'audit-keys')), ['epoch-3.key'], "the newer line's key file is destroyed: it belongs to no chain now");
    const v = await cli(home, t, ['--json', 'audit', 'verify', '--pubkey', pubkey]);
    assert.deepEqual(verifyDoc(v).problems.map((p) => `${p.kind}@e${p.epoch}`), ['key-reset@e2']);
    assert.equal((await cli(home, t, ['audit', 'verify', '--pubkey', pubkey, '--accept-reset', '2'])).code, 0);
  });
});

describe('audit seal checks the key file against the next-key of the previous checkpoint', () => {
  test('a replaced key file is refused, loudly; appends go on, warned; rekey recovers', async () => {
    const { home, pubkey } = await freshHome();
    let t = T0 + MIN;
    assert.equal((await cli(home, t, ['audit', 'append', '--type', 'app.one'])).code, 0);
    // A key that no checkpoint vouched for (another host's, another backup's), under the right name.
    new AuditKeyring(home).write(1, generateSigningKey());
    const seal = await cli(home, t, ['audit', 'seal', '--force']);
    assert.equal(seal.code, 3);
    assert.match(seal.stderr, /^agentsec: cannot seal epoch 1: the audit signing key \S+epoch-1\.key \(SHA256:\S+\) is not the key checkpoint 0 vouched for \(SHA256:\S+\).*audit rekey/);
    assert.equal(seal.stderr.trim().split('\n').length, 1);
    assert.equal(json<{ checkpoints: number; signingKey: string }>(await cli(home, t, ['--json', 'audit', 'status'])).checkpoints, 1, 'nothing was signed');
    assert.equal(json<{ signingKey: string }>(await cli(home, t, ['--json', 'audit', 'status'])).signingKey, 'mismatch');
    assert.equal((await cli(home, t, ['doctor'])).code, 1);

    t += EPOCH;
    const append = await cli(home, t, ['audit', 'append', '--type', 'app.two']);
    assert.equal(append.code, 0, append.stderr);
    assert.match(append.stderr, /^warning: the audit signing key \S+ \(SHA256:\S+\) is not the key checkpoint 0 vouched for/);
    const unsealed = await cli(home, t, ['--json', 'audit', 'verify', '--pubkey', pubkey]);
    assert.equal(unsealed.code, 3);
    assert.ok(verifyDoc(unsealed).incomplete.some((i) => /not the key checkpoint 0 vouched for/.test(i)));

    assert.equal((await cli(home, t, ['--yes', 'audit', 'rekey'])).code, 0);
    assert.equal((await cli(home, t, ['audit', 'verify', '--pubkey', pubkey, '--accept-reset', '1'])).code, 0);
  });
});
