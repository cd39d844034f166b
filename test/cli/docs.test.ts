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

test('the man page: ASCII, examples within 80 columns, the key environment, audit-keys/ and SEE ALSO', async (t) => {
  const man = (await generatedDocs()).find((d) => d.path === 'man/agentsec.1')?.content ?? '';
  // eslint-disable-next-line no-control-regex
  assert.doesNotMatch(man, /[^\u0000-\u007f]/, 'ASCII only');
  for (const name of ['AGENTSEC_API_KEY', 'AGENTSEC_JWT', 'AGENTSEC_PASSPHRASE', 'AGENTSEC_HOME']) assert.match(man, new RegExp(`^\\.B ${name}$`, 'm'), name);
  assert.match(man, /^\.I \$AGENTSEC_HOME\/audit\\-keys\/$/m);
  assert.match(man, /^\.SH SEE ALSO$/m);
  // Example blocks: what man shows between .nf and .fi, 7 columns in.
  const blocks = [...man.matchAll(/^\.nf\n([\s\S]*?)\n\.fi$/gm)].flatMap((m) => (m[1] as string).split('\n'));
  assert.ok(blocks.length > 100);
  for (const l of blocks) assert.ok(l.replace(/\\-/g, '-').replace(/\\e/g, '\\').length <= 72, `example line too long for 80 columns: ${l}`);
  const { spawnSync } = await import('node:child_process');
  if (spawnSync('sh', ['-c', 'command -v man']).status !== 0) return t.skip('man not installed: the rendered width is not checked');
  const rendered = spawnSync('man', ['-l', join(ROOT, 'man/agentsec.1')], { encoding: 'utf8', env: { ...process.env, MANWIDTH: '80', MANPAGER: 'cat', PAGER: 'cat' } }).stdout;
  const long = rendered.split('\n').map((l) => l.replace(/.\u0008/g, '')).filter((l) => l.length > 80);
  assert.deepEqual(long, [], 'every rendered line fits 80 columns');
});
