import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { checkPassword } from '../../../src/index.js';
import { sandbox, type Sandbox } from '../secret/helpers.js';

let sb: Sandbox;
beforeEach(async () => {
  sb = await sandbox();
});
afterEach(() => sb.cleanup());

describe('password policy', () => {
  it('password hash refuses a short password without echoing it, and hashes nothing', async () => {
    const r = await sb.cli(['password', 'hash'], { stdin: 'hunter2' });
    assert.equal(r.code, 1);
    assert.equal(r.out, '');
    assert.match(r.err, /password refused: the password is 7 characters; the policy needs at least 12/);
    assert.match(r.err, /nothing was hashed/);
    assert.ok(!r.err.includes('hunter2'));
  });

  it('refuses a common password in any case, from the zxcvbn-ts list', async () => {
    for (const pw of ['password1234', 'PASSWORD1234', 'Password1234']) {
      const r = await sb.cli(['--json', 'password', 'hash'], { stdin: pw });
      assert.equal(r.code, 1, pw);
      const doc = JSON.parse(r.out) as { accepted: boolean; violations: Array<{ code: string }> };
      assert.equal(doc.accepted, false);
      assert.deepEqual(doc.violations.map((v) => v.code), ['common']);
      assert.ok(!r.out.includes(pw) && !r.err.includes(pw));
    }
  });

  it('refuses more than 1024 bytes and accepts 1024', async () => {
    assert.equal((await sb.cli(['password', 'hash'], { stdin: 'k'.repeat(1025) })).code, 1);
    const ok = await sb.cli(['password', 'hash'], { stdin: 'k'.repeat(1024) });
    assert.equal(ok.code, 0, ok.err);
    assert.match(ok.out, /^\$argon2id\$/);
  });

  it('--policy relaxes it; config.yaml passwords: sets it; flags beat config', async () => {
    assert.equal((await sb.cli(['password', 'hash', '--policy', 'off'], { stdin: 'hunter2' })).code, 0);
    assert.equal((await sb.cli(['password', 'hash', '--policy', 'min-length=8', '--policy', 'common=allow'], { stdin: 'password' })).code, 0);
    fs.writeFileSync(join(sb.home, 'config.yaml'), 'passwords:\n  minLength: 16\n', { mode: 0o600 });
    const short = await sb.cli(['password', 'check'], { stdin: 'correct-horse-9' });
    assert.equal(short.code, 1);
    assert.match(short.err, /at least 16/);
    assert.equal((await sb.cli(['password', 'check', '--policy', 'min-length=12'], { stdin: 'correct-horse-9' })).code, 0);
    // The library reads the same config.
    const lib = await checkPassword('correct-horse-9', { home: sb.home });
    assert.equal(lib.ok, false);
    assert.deepEqual(lib.ok ? [] : lib.violations.map((v) => v.code), ['too-short']);
    assert.deepEqual(await checkPassword('correct-horse-9', { home: sb.home, policy: { minLength: 12 } }), { ok: true });
  });

  it('bad --policy and bad config are usage errors before any prompt', async () => {
    for (const flag of ['min-length=0', 'common=maybe', 'nope']) {
      const r = await sb.cli(['password', 'hash', '--policy', flag], { stdin: 'correct-horse-battery' });
      assert.equal(r.code, 2, flag);
      assert.match(r.err, /--policy: /);
      assert.equal(r.err.trim().split('\n').length, 1);
    }
    fs.writeFileSync(join(sb.home, 'config.yaml'), 'passwords:\n  minLength: 0\n', { mode: 0o600 });
    const r = await sb.cli(['password', 'check'], { stdin: 'correct-horse-battery' });
    assert.equal(r.code, 2);
    assert.match(r.err, /passwords\.minLength/);
  });

  it('password check passes a good password and says so', async () => {
    const r = await sb.cli(['--json', 'password', 'check'], { stdin: 'correct-horse-battery' });
    assert.equal(r.code, 0, r.err);
    assert.deepEqual((JSON.parse(r.out) as { accepted: boolean }).accepted, true);
    assert.ok(!r.out.includes('correct-horse'));
  });
});
