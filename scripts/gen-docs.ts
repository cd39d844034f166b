import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatedDocs } from '../src/cli/generated-docs.js';

// Regenerates completions/ and man/ from the command tree and docs/lint-rules.md from the lint rules (`npm run docs`);
// test/cli/docs.test.ts fails on drift.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
for (const { path, content } of await generatedDocs()) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
  process.stdout.write(`wrote ${path}\n`);
}
