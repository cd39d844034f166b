import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { hashCanon } from '../../../src/core/audit/entry.js';

test('hashCanon is SHA-256 over "agentsec.audit.v1\\n" + the canonical text, UTF-8, as sha256sum computes it', () => {
  // printf 'agentsec.audit.v1\n{"a":"é🔑"}' | sha256sum
  assert.equal(hashCanon('{"a":"é🔑"}'), '88ca8a0a77c5ea07a04b12787e2cbedd82c92c633474c6b2e1408e1f3b3c77b9');
  for (const canon of ['', '{}', '{"type":"app.login","v":1}', `{"x":"${'ü'.repeat(5000)}"}`]) {
    assert.equal(hashCanon(canon), createHash('sha256').update('agentsec.audit.v1\n').update(canon, 'utf8').digest('hex'));
  }
});
