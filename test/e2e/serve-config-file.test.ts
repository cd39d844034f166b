import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runCli, tempDir } from '../support/cli.js';

const tmp = tempDir('agentsec-serve-config-');
after(() => tmp.cleanup());

test('serve --config naming a file that does not exist is refused at start (exit 2), not served on the defaults', () => {
  const home = join(tmp.dir, 'h');
  assert.equal(runCli(['--home', home, 'init', '--quiet']).code, 0);
  const missing = join(tmp.dir, 'no-such-serve.yaml');
  const r = runCli(['--home', home, 'serve', '--listen', '127.0.0.1:0', '--config', missing], { timeout: 20_000 });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /^agentsec: --config: .*no-such-serve\.yaml does not exist/m);
  assert.doesNotMatch(r.stderr, /"event":"listening"/);
  assert.equal(r.stderr.trim().split('\n').filter((l) => !l.startsWith('{')).length, 1, 'one line of error');
});
