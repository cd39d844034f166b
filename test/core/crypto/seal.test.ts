import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { constantTimeEqual, deriveSubkey, open, seal } from '../../../src/core/crypto/seal.js';
import { AgentsecError } from '../../../src/core/errors.js';

const key = randomBytes(32);

test('seal/open round trip', () => {
  const plain = Buffer.from('totp seed JBSWY3DPEHPK3PXP');
  const sealed = seal(key, plain, 'user:alice');
  assert.ok(!sealed.includes(plain), 'ciphertext must not contain the plaintext');
  assert.deepEqual(open(key, sealed, 'user:alice'), plain);
});

test('two seals of the same plaintext differ (fresh nonce)', () => {
  assert.notDeepEqual(seal(key, Buffer.from('x'), 'r'), seal(key, Buffer.from('x'), 'r'));
});

test('a tampered ciphertext, another record id or a wrong key is an error, not garbage', () => {
  const sealed = seal(key, Buffer.from('secret value'), 'rec-1');
  for (let i = 0; i < sealed.length; i++) {
    const bad = Buffer.from(sealed);
    bad[i] = (bad[i] as number) ^ 0x01;
    assert.throws(() => open(key, bad, 'rec-1'), AgentsecError, `flipping byte ${i} must fail`);
  }
  assert.throws(() => open(key, sealed, 'rec-2'), /wrong master key or tampered/);
  assert.throws(() => open(randomBytes(32), sealed, 'rec-1'), /wrong master key or tampered/);
  assert.throws(() => open(key, sealed.subarray(0, 10), 'rec-1'), AgentsecError);
});

test('error messages never contain the plaintext', () => {
  const sealed = seal(key, Buffer.from('hunter2-plaintext'), 'r');
  try {
    open(randomBytes(32), sealed, 'r');
    assert.fail('must throw');
  } catch (err) {
    assert.ok(!String((err as Error).message).includes('hunter2'));
  }
});

test('keys must be 32 bytes', () => {
  assert.throws(() => seal(randomBytes(16), Buffer.from('x'), 'r'), /32 bytes/);
});

test('subkeys are deterministic per purpose and independent across purposes', () => {
  assert.deepEqual(deriveSubkey(key, 'a'), deriveSubkey(key, 'a'));
  assert.notDeepEqual(deriveSubkey(key, 'a'), deriveSubkey(key, 'b'));
  assert.equal(deriveSubkey(key, 'a').length, 32);
});

test('constant-time equality', () => {
  assert.equal(constantTimeEqual('abc', 'abc'), true);
  assert.equal(constantTimeEqual('abc', 'abd'), false);
  assert.equal(constantTimeEqual('abc', 'abcd'), false);
  assert.equal(constantTimeEqual(Buffer.from([1, 2]), Buffer.from([1, 2])), true);
});
