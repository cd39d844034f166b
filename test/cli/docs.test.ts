import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { generatedDocs } from '../../src/cli/generated-docs.js';
import { ROOT } from '../support/cli.js';

test('committed completions and man page match the command tree (run npm run docs)', async () => {
  for (const { path, content } of await generatedDocs()) {
    assert.equal(readFileSync(join(ROOT, path), 'utf8'), content, `${path} drifted from the command tree: run npm run docs`);
  }
});

test('every command has a description and an example in its help', async () => {
  const man = (await generatedDocs()).find((d) => d.path === 'man/agentsec.1')?.content ?? '';
  assert.match(man, /\.SH EXIT STATUS/);
  assert.match(man, /agentsec init/);
});
