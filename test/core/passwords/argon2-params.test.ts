import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePhc, PRESETS, rehashReasons } from '../../../src/core/passwords/argon2-params.js';

const SALT = 'c29tZXNhbHRzb21lc2FsdA';
const HASH = 'aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g';

describe('argon2 params', () => {
  it('has the documented presets', () => {
    assert.deepEqual(PRESETS.owasp, { memoryCost: 19456, timeCost: 2, parallelism: 1 });
    assert.deepEqual(PRESETS['rfc9106-low-memory'], { memoryCost: 65536, timeCost: 3, parallelism: 4 });
    assert.deepEqual(PRESETS.rfc9106, { memoryCost: 2097152, timeCost: 1, parallelism: 4 });
  });
  it('parses PHC strings and refuses others', () => {
    assert.deepEqual(parsePhc(`$argon2id$v=19$m=19456,t=2,p=1$${SALT}$${HASH}`), { variant: 'argon2id', version: 19, memoryCost: 19456, timeCost: 2, parallelism: 1 });
    for (const bad of ['', 'plain', `$2b$10$${SALT}`, `$argon2id$v=19$m=19456,t=2$${SALT}$${HASH}`, `$argon2id$v=19$m=1,t=2,p=1$c2FsdA$${HASH}`]) {
      assert.equal(parsePhc(bad), undefined, bad);
    }
  });
  it('asks for a rehash below the preset, not for stronger trade-offs', () => {
    const info = (m: number, t: number, variant: 'argon2id' | 'argon2i' = 'argon2id') => ({ variant, version: 19, memoryCost: m, timeCost: t, parallelism: 1 });
    assert.deepEqual(rehashReasons(info(19456, 2), PRESETS.owasp), []);
    assert.deepEqual(rehashReasons(info(2097152, 1), PRESETS.owasp), []);
    assert.equal(rehashReasons(info(4096, 3), PRESETS.owasp).length, 2);
    assert.equal(rehashReasons(info(19456, 1), PRESETS.owasp).length, 1);
    assert.equal(rehashReasons(info(19456, 2, 'argon2i'), PRESETS.owasp).length, 1);
    assert.equal(rehashReasons(info(19456, 2), PRESETS['rfc9106-low-memory']).length, 2);
  });
});
