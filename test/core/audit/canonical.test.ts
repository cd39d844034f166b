import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalize } from '../../../src/core/audit/canonical.js';
import { buildEntry, hashCanon, parseCanon, ZERO_HASH } from '../../../src/core/audit/entry.js';
import { AgentsecError } from '../../../src/core/errors.js';

test('canonical form: sorted keys, no whitespace, JSON string escaping', () => {
  assert.equal(canonicalize({ b: 1, a: [true, null, 'x'], c: { z: 'é', y: '\n"' } }), '{"a":[true,null,"x"],"b":1,"c":{"y":"\\n\\"","z":"é"}}');
  // RFC 8785 sorts by UTF-16 code units: "\u20ac" (€) sorts before "\ud83d\ude00" (😀) and after "z".
  assert.equal(canonicalize({ '😀': 1, '€': 2, z: 3 }), '{"z":3,"€":2,"😀":1}');
  assert.equal(canonicalize({}), '{}');
  assert.equal(canonicalize(-5), '-5');
});

test('refuses floats, NaN, Infinity, -0, unsafe integers and non-JSON values', () => {
  for (const bad of [1.5, Number.NaN, Number.POSITIVE_INFINITY, -0, 2 ** 53, { x: undefined }, { d: new Date() }, 10n, () => 1, '\ud800']) {
    assert.throws(() => canonicalize({ v: bad }), AgentsecError, `must refuse ${String(bad)}`);
  }
});

test('entries are capped at 64 KiB', () => {
  assert.throws(() => buildEntry({ type: 'x', data: { big: 'a'.repeat(70_000) } }, { seq: 0, ts: 1, epoch: 0, prev: ZERO_HASH }), /over the 65536-byte limit/);
});

test('entry hash is SHA-256 over the domain-separated canonical text, and parses back', () => {
  const s = buildEntry({ type: 'app.login', actor: { user: 'ana' }, data: { ip: '203.0.113.7' } }, { seq: 3, ts: 1700000000000, epoch: 1, prev: ZERO_HASH });
  assert.equal(s.canon, `{"actor":{"user":"ana"},"data":{"ip":"203.0.113.7"},"epoch":1,"prev":"${ZERO_HASH}","seq":3,"ts":1700000000000,"type":"app.login","v":1}`);
  assert.equal(s.hash, hashCanon(s.canon));
  assert.match(s.hash, /^[0-9a-f]{64}$/);
  assert.deepEqual(parseCanon(s.canon), s.entry);
  assert.equal(parseCanon('{"v":2}'), undefined);
  assert.equal(parseCanon('not json'), undefined);
});

test('event types are validated', () => {
  assert.throws(() => buildEntry({ type: 'Bad Type' }, { seq: 0, ts: 1, epoch: 0, prev: ZERO_HASH }), /invalid audit type/);
  assert.throws(() => buildEntry({ type: '' }, { seq: 0, ts: 1, epoch: 0, prev: ZERO_HASH }), /invalid audit type/);
});

test('the fast chain-field reader agrees with a full parse, even when data mimics the top-level members', async () => {
  const { chainFields } = await import('../../../src/core/audit/entry.js');
  const tricky = { a: 1, epoch: 999, nested: { prev: 'x', seq: 7 }, s: ',"epoch":5,"prev":"' + 'f'.repeat(64) + '","seq":1,"ts":2,"type":"x","v":1}' };
  const s = buildEntry({ type: 'app.trick', data: tricky }, { seq: 42, ts: 1700000000123, epoch: 3, prev: 'a'.repeat(64) });
  assert.deepEqual(chainFields(s.canon), { seq: 42, ts: 1700000000123, epoch: 3, prev: 'a'.repeat(64) });
  assert.equal(chainFields('{"actor":null,"data":{},"epoch":1,"prev":"zz","seq":1,"ts":1,"type":"x","v":1}'), undefined);
  assert.equal(chainFields('garbage'), undefined);
});
