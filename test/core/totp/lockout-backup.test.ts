import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatBackupCode, generateBackupCode, generateBackupCodes } from '../../../src/core/totp/backup-codes.js';
import { afterFailure, DEFAULT_LOCKOUT, isLocked } from '../../../src/core/totp/lockout.js';
import { BACKUP_ALPHABET, classifyCode } from '../../../src/core/totp/params.js';

const MIN = 60_000;

test('the fifth failure within 15 minutes locks for 15 minutes; older failures do not count', () => {
  const now = 10_000 * MIN;
  assert.deepEqual(afterFailure([], now, DEFAULT_LOCKOUT), { failures: 1, lockUntil: null });
  const four = [now - 14 * MIN, now - 10 * MIN, now - 5 * MIN, now - MIN];
  assert.deepEqual(afterFailure(four.slice(1), now, DEFAULT_LOCKOUT), { failures: 4, lockUntil: null });
  assert.deepEqual(afterFailure(four, now, DEFAULT_LOCKOUT), { failures: 5, lockUntil: now + 15 * MIN });
  // One of them exactly 15 minutes old has left the window.
  assert.deepEqual(afterFailure([now - 15 * MIN, ...four.slice(1)], now, DEFAULT_LOCKOUT), { failures: 4, lockUntil: null });
  // A configured policy.
  assert.deepEqual(afterFailure([now - 1], now, { maxFailures: 2, windowMs: MIN, lockMs: 5 * MIN }), { failures: 2, lockUntil: now + 5 * MIN });
});

test('failures dated after now count: a verifier whose clock read is older than a concurrent one still sees its failures', () => {
  const now = 10_000 * MIN;
  const concurrent = [now + 1, now + 2, now + 3, now + 40];
  assert.deepEqual(afterFailure(concurrent, now, DEFAULT_LOCKOUT), { failures: 5, lockUntil: now + 15 * MIN });
});

test('a lock holds until its end, exclusive', () => {
  assert.equal(isLocked(null, 5), false);
  assert.equal(isLocked(10, 9), true);
  assert.equal(isLocked(10, 10), false);
});

test('backup codes: 10 distinct codes of 10 characters from the alphabet, that classify as backup codes', () => {
  let n = 0;
  const random = (bytes: number) => Buffer.from(Array.from({ length: bytes }, () => (n++ * 97 + 13) & 0xff));
  const codes = generateBackupCodes(random);
  assert.equal(codes.length, 10);
  assert.equal(new Set(codes).size, 10);
  for (const c of codes) {
    assert.match(c, new RegExp(`^[${BACKUP_ALPHABET}]{10}$`));
    assert.deepEqual(classifyCode(formatBackupCode(c)), { kind: 'backup', code: c });
    assert.deepEqual(classifyCode(formatBackupCode(c).toUpperCase()), { kind: 'backup', code: c });
  }
});

test('backup code characters are drawn without modulo bias: bytes past the last full alphabet cycle are skipped', () => {
  const limit = 256 - (256 % BACKUP_ALPHABET.length);
  // Only bytes at or above the limit, then bytes that map to 'a'.
  let calls = 0;
  const random = (bytes: number) => Buffer.alloc(bytes, calls++ === 0 ? limit : 0);
  assert.equal(generateBackupCode(random), 'a'.repeat(10));
});
