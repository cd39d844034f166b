import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { generateApiKey } from '../../../src/core/apikeys/format.js';
import { findApiKeys } from '../../../src/core/apikeys/scan.js';

const gen = (p = 'ask') => generateApiKey(p, (n) => randomBytes(n));

test('finds keys with line and column, ignoring checksum-invalid look-alikes', () => {
  const a = gen();
  const b = gen('sk2');
  const fake = `${a.slice(0, -1)}${a.endsWith('Z') ? 'Y' : 'Z'}`;
  const text = [`API_KEY=${a}`, 'nothing here', `  headers: { "X-API-Key": "${b}" } # and ${fake}`, `x${a}`, `${a}_more`].join('\n');
  const found = findApiKeys(text);
  assert.deepEqual(found, [
    { line: 1, column: 9, key: a },
    { line: 3, column: 28, key: b },
  ]);
});

test('two keys on one line and CRLF files', () => {
  const a = gen();
  const b = gen();
  const found = findApiKeys(`first\r\n${a} ${b}\r\nlast ${a}`);
  assert.deepEqual(found.map((f) => [f.line, f.column]), [[2, 1], [2, a.length + 2], [3, 6]]);
});

test('nothing in text without keys', () => {
  assert.deepEqual(findApiKeys(''), []);
  assert.deepEqual(findApiKeys(`ask_${'a'.repeat(43)}_000000`), []);
});
