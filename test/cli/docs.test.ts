import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { generatedDocs } from '../../src/cli/generated-docs.js';
import { ROOT } from '../support/cli.js';

test('committed completions and man page match the command tree (run npm run docs)', () => {
  for (const { path, content } of generatedDocs()) {
    assert.equal(readFileSync(join(ROOT, path), 'utf8'), content, `${path} drifted from the command tree: run npm run docs`);
  }
});

test('every command has a description and an example in its help', () => {
  const man = generatedDocs().find((d) => d.path === 'man/agentsec.1')?.content ?? '';
  assert.match(man, /\.SH EXIT STATUS/);
  assert.match(man, /agentsec init/);
});
