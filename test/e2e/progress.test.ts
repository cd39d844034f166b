import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { BIN, runCli, tempDir } from '../support/cli.js';
import { have } from '../support/tmux.js';

const tmp = tempDir('agentsec-progress-');
after(() => tmp.cleanup());
const tree = join(tmp.dir, 'tree');
const FILES = 2000;

before(() => {
  // Compose files, which take the engine a while: a tree that lints in well over the progress line's half-second delay.
  for (let i = 0; i < FILES; i++) {
    mkdirSync(join(tree, `svc-${i % 40}`, `app-${i}`), { recursive: true });
    writeFileSync(join(tree, `svc-${i % 40}`, `app-${i}`, 'compose.yaml'), `services:\n  api:\n    image: node:22.11-slim\n    ports: ["127.0.0.1:${8000 + (i % 1000)}:8080"]\n    environment:\n      LOG_LEVEL: info\n    read_only: true\n  db:\n    image: postgres:16.4\n`);
  }
});

test('lint of a big tree shows progress on a terminal, and a summary of the files', (t) => {
  if (!have('script')) return t.skip('script(1) (util-linux) not installed: no pseudo-terminal to run under');
  // script(1) gives the command a real pseudo-terminal for stdout and stderr, and copies all it writes.
  const r = spawnSync('script', ['-qec', `'${process.execPath}' '${BIN}' lint '${tree}' --format text --fail-on critical`, '/dev/null'], { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024, encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1', TERM: 'xterm' }, timeout: 120_000 });
  assert.equal(r.status, 0, `exit ${r.status}: ${r.stdout.slice(-500)}`);
  assert.match(r.stdout, new RegExp(`\\rlinting \\d+/${FILES} files \\(\\d+%\\)\\u001b\\[K`));
  assert.match(r.stdout, new RegExp(`findings \\(.*\\) in ${FILES} files`));
});

test('piped, there is no progress line: only the summary', () => {
  const r = runCli(['lint', tree, '--fail-on', 'critical'], { timeout: 120_000 });
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /\r|linting \d/);
  assert.match(r.stderr, new RegExp(`^\\d+ findings \\(.*\\) in ${FILES} files\n$`));
});
