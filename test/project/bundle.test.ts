import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../support/cli.js';

const BUNDLE = join(ROOT, 'dist', 'cli');

function bundleText(): string {
  return readdirSync(BUNDLE).filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(BUNDLE, f), 'utf8')).join('\n');
}

// Every command that reads config.yaml parses the chunk that holds zod: its 40-odd locales were most of that chunk.
test('the CLI bundle carries zod with its English messages only', (t) => {
  if (!existsSync(BUNDLE)) return t.skip('no bundle: run npm run build');
  const text = bundleText();
  assert.match(text, /Invalid input: expected/, 'the English messages zod reports config errors in');
  assert.doesNotMatch(text, /Eingabe: erwartet/, 'the German locale');
  assert.doesNotMatch(text, /Entrada inválida/, 'the Spanish locale');
});

// `lint` starts its worker threads from this file, beside the chunk that starts them: without it, a large run would
// quietly fall back to one thread.
test('the CLI bundle has the lint worker entry', (t) => {
  if (!existsSync(BUNDLE)) return t.skip('no bundle: run npm run build');
  assert.ok(existsSync(join(BUNDLE, 'lint-worker.js')));
});
