import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { assessSecret, estimateEntropyBits, isKnownDefault } from '../../../src/core/secrets/strength.js';
import { KNOWN_DEFAULT_SECRETS as KNOWN_DEFAULTS } from '../../../src/core/secrets/weak.js';

describe('strength', () => {
  it('flags every listed default, in any case or separator style', () => {
    for (const d of KNOWN_DEFAULTS) {
      assert.ok(isKnownDefault(d), d);
      assert.ok(isKnownDefault(d.toUpperCase()), d);
    }
    assert.ok(isKnownDefault('Change_Me'));
    assert.ok(isKnownDefault('  changeme  '));
  });
  it('flags placeholders', () => {
    for (const p of ['please-change-me-now', '<your-token>', '${JWT_SECRET}', '{{ secret }}', 'xxxxxxxxxxxxxxxxxxxxxxxx', 'your-own-api-key-here', 'REPLACE_WITH_REAL_KEY']) {
      assert.ok(isKnownDefault(p), p);
    }
  });
  it('does not flag random values', () => {
    for (let i = 0; i < 50; i++) {
      const v = randomBytes(32).toString('base64url');
      const r = assessSecret(v);
      assert.equal(r.weak, false, `${v}: ${r.reasons.join(',')}`);
      assert.ok(r.entropyBits > 150);
    }
    assert.equal(assessSecret(randomBytes(16).toString('hex')).weak, false);
  });
  it('calls the template default weak with all its reasons', () => {
    const r = assessSecret('your-super-secret-jwt-key-change-in-production');
    assert.equal(r.weak, true);
    assert.ok(r.reasons.includes('known-default'));
    assert.deepEqual(assessSecret('short').reasons, ['too-short', 'low-entropy']);
    assert.deepEqual(assessSecret('').reasons, ['empty']);
  });
  it('scores repetition low', () => {
    assert.ok(estimateEntropyBits('abababababababababababababababab') < 30);
    assert.ok(estimateEntropyBits('a'.repeat(40)) < 10);
    assert.equal(estimateEntropyBits(''), 0);
    assert.equal(assessSecret('abababababababababababababababab').weak, true);
  });
});
