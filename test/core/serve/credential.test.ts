import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readCredential } from '../../../src/core/serve/credential.js';

test('credential: API key from X-API-Key or Bearer; a JWT by its shape; other schemes refused', () => {
  const key = 'ask_' + 'A'.repeat(43) + '_AAAAAA';
  assert.deepEqual(readCredential(undefined, undefined), { kind: 'none' });
  assert.deepEqual(readCredential(undefined, key), { kind: 'api-key', value: key });
  assert.deepEqual(readCredential(`Bearer ${key}`, undefined), { kind: 'api-key', value: key });
  assert.deepEqual(readCredential(`bearer ${key}`, key), { kind: 'api-key', value: key });
  assert.deepEqual(readCredential('Bearer aaa.bbb.ccc', undefined), { kind: 'jwt', value: 'aaa.bbb.ccc' });
  assert.deepEqual(readCredential('Basic dXNlcjpwYXNz', undefined), { kind: 'invalid', reason: 'unsupported-scheme' });
  assert.deepEqual(readCredential('Bearer a.b.c', key), { kind: 'invalid', reason: 'conflicting-credentials' });
  assert.deepEqual(readCredential(undefined, 'x'.repeat(9000)), { kind: 'invalid', reason: 'oversized' });
});
