import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { writeAccessLog } from '../support/access-log.js';
import { BIN, runCli, tempDir } from '../support/cli.js';
import { have } from '../support/tmux.js';

const tmp = tempDir('agentsec-ingest-progress-');
after(() => tmp.cleanup());
const log = join(tmp.dir, 'access.log');
const LINES = 400_000;

before(() => {
  // Big enough to take well over the progress line's half-second delay on a loaded machine.
  writeAccessLog(log, { lines: LINES, seed: 5, start: Date.now() - 8 * 60_000, spanMs: 8 * 60_000, offenders: 50, burst: 12, noise: 500, malformed: 0 });
});

test('ingest of a big log shows lines, lines/s and bytes on a terminal, then the summary', (t) => {
  if (!have('script')) return t.skip('script(1) (util-linux) not installed: no pseudo-terminal to run under');
  const home = join(tmp.dir, 'tty');
  assert.equal(runCli(['--home', home, 'init', '--quiet']).code, 0);
  // script(1) gives the command a real pseudo-terminal for stdout and stderr, and copies all it writes. The log
  // arrives on stdin in two halves a second apart, so the run outlasts the progress line's half-second delay on a
  // machine of any speed (a quiet one ingests the whole file in less).
  const half = LINES / 2;
  const feed = `(head -n ${half} '${log}'; sleep 1.2; tail -n +${half + 1} '${log}')`;
  const r = spawnSync('script', ['-qec', `${feed} | '${process.execPath}' '${BIN}' --home '${home}' blocks ingest - --format nginx`, '/dev/null'], { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20, encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1', TERM: 'xterm' }, timeout: 120_000 });
  assert.equal(r.status, 0, `exit ${r.status}: ${r.stdout.slice(-500)}`);
  assert.match(r.stdout, /\ringesting [^\r\n:]+: \d+ lines, \d+ lines\/s, \d+\.\d MB\u001b\[K/);
  assert.match(r.stdout, new RegExp(`nginx: ${LINES} read, \\d+ matched, \\d+ neutral, 0 unrecognised, 0 overlong`));
});

test('piped, there is no progress line: only the summary', () => {
  const home = join(tmp.dir, 'pipe');
  assert.equal(runCli(['--home', home, 'init', '--quiet']).code, 0);
  const r = runCli(['--home', home, 'blocks', 'ingest', log], { timeout: 120_000 });
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /\r|ingesting/);
  assert.match(r.stderr, new RegExp(`^nginx: ${LINES} read, `));
});
