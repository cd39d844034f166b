import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { generateSecret, isEncoding } from '../../../src/core/secrets/generate.js';

describe('generateSecret', () => {
  it('encodes the requested bytes', () => {
    const fixed = (n: number) => Buffer.alloc(n, 0xab);
    assert.equal(generateSecret(4, 'hex', fixed), 'abababab');
    assert.equal(generateSecret(3, 'base64', fixed), 'q6ur');
    assert.match(generateSecret(32, 'base64url', randomBytes), /^[A-Za-z0-9_-]{43}$/);
    assert.match(generateSecret(32, 'base64', randomBytes), /^[A-Za-z0-9+/]{43}=$/);
    assert.match(generateSecret(32, 'hex', randomBytes), /^[0-9a-f]{64}$/);
  });
  it('gives alnum at least as many bits as the bytes asked for', () => {
    const v = generateSecret(32, 'alnum', randomBytes);
    assert.match(v, /^[A-Za-z0-9]+$/);
    assert.ok(v.length * Math.log2(62) >= 256);
  });
  it('discards biased bytes in alnum (rejection sampling)', () => {
    let call = 0;
    // First batch all 255 (rejected), then all 61 → 'z'... 61 % 62 = 61 → '9'.
    const src = (n: number) => Buffer.alloc(n, call++ === 0 ? 255 : 61);
    assert.equal(generateSecret(2, 'alnum', src), '999');
  });
  it('knows its encodings', () => {
    assert.ok(isEncoding('hex'));
    assert.ok(!isEncoding('base32'));
  });
});
