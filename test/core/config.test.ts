import assert from 'node:assert/strict';
import { test } from 'node:test';
import { configSchema, renameDeprecatedKeys } from '../../src/core/config.js';

test('deprecated kebab-case keys are read under their camelCase names, with one warning each', () => {
  const doc = { blocks: { 'max-failures': 3, 'find-time': '1m', 'block-duration': '2h', 'max-duration': '1d', 'ipv6-prefix': 64, nginx: { 'auth-statuses': [401], 'ratelimit-statuses': [429] }, allowlist: ['10.0.0.0/8'] }, totp: { maxFailures: 4 } };
  const r = renameDeprecatedKeys(doc);
  assert.equal(r.conflict, undefined);
  assert.deepEqual(r.value, { blocks: { maxFailures: 3, findTime: '1m', blockDuration: '2h', maxDuration: '1d', ipv6Prefix: 64, nginx: { authStatuses: [401], ratelimitStatuses: [429] }, allowlist: ['10.0.0.0/8'] }, totp: { maxFailures: 4 } });
  assert.equal(r.warnings.length, 7);
  assert.match(r.warnings[0] as string, /^config blocks\.max-failures is deprecated: write blocks\.maxFailures/);
  assert.ok(r.warnings.some((w) => /blocks\.nginx\.auth-statuses .*blocks\.nginx\.authStatuses/.test(w)));
  assert.ok(configSchema.safeParse(r.value).success);
  // The caller's document is left as it was.
  assert.equal((doc.blocks as Record<string, unknown>)['max-failures'], 3);
});

test('current spellings pass untouched and without warnings; odd shapes are left to validation', () => {
  const doc = { blocks: { maxFailures: 3, nginx: { authStatuses: [401] } } };
  assert.deepEqual(renameDeprecatedKeys(doc), { value: doc, warnings: [] });
  for (const odd of [null, 'text', [], { blocks: 'x' }, { blocks: { nginx: [] } }, {}]) assert.deepEqual(renameDeprecatedKeys(odd).warnings, []);
});

test('a key written both ways is refused, never one silently winning', () => {
  const r = renameDeprecatedKeys({ blocks: { 'find-time': '1m', findTime: '5m' } });
  assert.match(r.conflict ?? '', /blocks\.find-time and blocks\.findTime are the same setting: keep only findTime/);
});

test('the schema refuses the old spelling itself (it is only accepted through the rename)', () => {
  assert.equal(configSchema.safeParse({ blocks: { 'max-failures': 3 } }).success, false);
});
