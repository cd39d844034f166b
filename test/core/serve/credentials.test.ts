import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { KEY_SEARCH_PATTERN } from '../../../src/core/apikeys/format.js';
import { credentialNameProblem, generateCredential, looksLikeCredential } from '../../../src/core/serve/credentials.js';

test('app tokens and bouncer keys have a prefix per kind, a checksum, and are found by keys scan', () => {
  const app = generateCredential('app', randomBytes);
  const bouncer = generateCredential('bouncer', randomBytes);
  assert.match(app, /^agsapp_[0-9A-Za-z]{43}_[0-9A-Za-z]{6}$/);
  assert.match(bouncer, /^agsbouncer_[0-9A-Za-z]{43}_[0-9A-Za-z]{6}$/);
  assert.equal(looksLikeCredential('app', app), true);
  assert.equal(looksLikeCredential('bouncer', app), false, 'a token of the other kind');
  assert.equal(looksLikeCredential('bouncer', bouncer), true);
  const typo = bouncer.slice(0, 20) + (bouncer[20] === 'a' ? 'b' : 'a') + bouncer.slice(21);
  assert.equal(looksLikeCredential('bouncer', typo), false, 'a typo fails the checksum');
  assert.equal(looksLikeCredential('app', ` ${app}`), false);
  assert.deepEqual(`leaked: ${app} and ${bouncer}`.match(KEY_SEARCH_PATTERN), [app, bouncer]);
});

test('credential names: short and printable', () => {
  for (const ok of ['web', 'fw-1', 'letta.prod', 'A_b']) assert.equal(credentialNameProblem(ok), null, ok);
  for (const bad of ['', '-x', 'a b', 'é', 'x'.repeat(65), 'a/b', 'a\n']) assert.notEqual(credentialNameProblem(bad), null, JSON.stringify(bad));
});
