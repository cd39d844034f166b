import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { crc32Ascii } from '../../../src/core/apikeys/crc32.js';
import {
  BASE62,
  BODY_LENGTH,
  checksumText,
  computeChecksum,
  displayForm,
  generateApiKey,
  newKeyId,
  parseApiKey,
  randomBase62,
} from '../../../src/core/apikeys/format.js';
import { AgentsecError } from '../../../src/core/errors.js';

test('crc32 matches the standard check values', () => {
  assert.equal(crc32Ascii(''), 0);
  assert.equal(crc32Ascii('123456789'), 0xcbf43926);
  assert.equal(crc32Ascii('The quick brown fox jumps over the lazy dog'), 0x414fa339);
  assert.equal(crc32Ascii('a'), 0xe8b7be43);
});

test('checksum text is fixed-width base62', () => {
  assert.equal(checksumText(0), '000000');
  assert.equal(checksumText(61), '00000z');
  assert.equal(checksumText(62), '000010');
  assert.equal(checksumText(0xffffffff), '4gfFC3');
  for (let i = 0; i < 100; i++) assert.equal(checksumText(randomBytes(4).readUInt32BE()).length, 6);
});

test('generated keys: shape, entropy, checksum', () => {
  const key = generateApiKey('ask', (n) => randomBytes(n));
  const [prefix, body, checksum] = key.split('_');
  assert.equal(prefix, 'ask');
  assert.equal(body?.length, BODY_LENGTH);
  assert.ok(BODY_LENGTH * Math.log2(62) >= 256, 'body carries at least 256 bits');
  assert.equal(checksum, computeChecksum('ask', body as string));
  assert.deepEqual(parseApiKey(key), { ok: true, key: { prefix, body, checksum } });
  const other = generateApiKey('ask', (n) => randomBytes(n));
  assert.notEqual(key, other);
  assert.ok(/^sk2_/.test(generateApiKey('sk2', (n) => randomBytes(n))));
});

test('randomBase62 discards biased bytes and uses only the alphabet', () => {
  // A source that yields only 255 (to be rejected) then 0..61: the output must skip every 255.
  let calls = 0;
  const src = (n: number) => {
    calls++;
    return calls === 1 ? Buffer.alloc(n, 255) : Buffer.from(Array.from({ length: n }, (_, i) => i % 62));
  };
  assert.equal(randomBase62(5, src), '01234');
  const s = randomBase62(2000, (n) => randomBytes(n));
  assert.equal(s.length, 2000);
  for (const ch of s) assert.ok(BASE62.includes(ch));
  assert.ok(new Set(s).size > 55, 'uses (nearly) the whole alphabet');
});

test('parse: every single-character typo is caught', () => {
  const key = generateApiKey('ask', (n) => randomBytes(n));
  let caught = 0;
  let total = 0;
  for (let i = 0; i < key.length; i++) {
    if (key[i] === '_') continue;
    const alt = key[i] === 'a' ? 'b' : 'a';
    const typo = key.slice(0, i) + alt + key.slice(i + 1);
    total++;
    const p = parseApiKey(typo);
    if (!p.ok) caught++;
  }
  assert.equal(caught, total);
});

test('parse: format vs checksum failures', () => {
  const key = generateApiKey('ask', (n) => randomBytes(n));
  const flip = key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A');
  assert.deepEqual(parseApiKey(flip), { ok: false, reason: 'checksum' });
  for (const bad of ['', 'ask', ` ${key}`, `${key} `, `${key}\n`, key.toUpperCase(), key.replace('_', '-'), `ask_${'a'.repeat(42)}_000000`, `ask_${'a'.repeat(44)}_000000`, `A_${'a'.repeat(43)}_000000`, 'sk-proj-abc', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789']) {
    assert.deepEqual(parseApiKey(bad), { ok: false, reason: 'format' }, JSON.stringify(bad));
  }
});

test('invalid prefix is a usage error', () => {
  for (const p of ['', 'a', 'Ask', 'a_b', '1ab', 'abcdefghijklmnopq']) {
    assert.throws(() => generateApiKey(p, (n) => randomBytes(n)), (e: unknown) => e instanceof AgentsecError && e.exitCode === 2, p);
  }
});

test('display form and ids reveal nothing of the body', () => {
  const key = generateApiKey('ask', (n) => randomBytes(n));
  const d = displayForm('ask', key.slice(-4));
  assert.equal(d, `ask_…${key.slice(-4)}`);
  assert.equal(key.slice(-4), key.split('_')[2]!.slice(-4), 'the last four belong to the public checksum');
  assert.match(newKeyId((n) => randomBytes(n)), /^key_[0-9A-Za-z]{16}$/);
});
