import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runCli, tempDir } from '../support/cli.js';

const tmp = tempDir();
after(() => tmp.cleanup());

test('failed API key verifications with --ip feed the blocks policy; a valid key asking too much does not', () => {
  const home = join(tmp.dir, 'h');
  assert.equal(runCli(['--home', home, 'init', '--quiet']).code, 0);
  const key = runCli(['--home', home, 'keys', 'issue', '--name', 'bot', '--role', 'viewer']).stdout.trim();
  const forged = `${key.slice(0, -13)}${'A'.repeat(6)}${key.slice(-7)}`;
  for (let i = 0; i < 6; i++) {
    const r = runCli(['--home', home, 'keys', 'verify', '--ip', '198.51.100.9', '--scope', 'agent:control', '--json'], { input: key });
    assert.equal((JSON.parse(r.stdout) as { code: string }).code, 'INSUFFICIENT_SCOPE');
  }
  assert.equal(runCli(['--home', home, 'blocks', 'check', '198.51.100.9']).code, 0, 'scope denials are not authentication failures');
  let last = { code: '', blocks: { outcome: '' } };
  for (let i = 0; i < 5; i++) {
    const r = runCli(['--home', home, 'keys', 'verify', '--ip', '203.0.113.50', '--json'], { input: forged });
    assert.equal(r.code, 1);
    last = JSON.parse(r.stdout) as typeof last;
  }
  assert.equal(last.blocks.outcome, 'blocked');
  const check = runCli(['--home', home, 'blocks', 'check', '203.0.113.50']);
  assert.equal(check.code, 1, check.stdout);
  const log = runCli(['--home', home, 'audit', 'log', '--json', '--type', 'blocks.block']).stdout;
  assert.match(log, /203\.0\.113\.50/);
  assert.ok(!log.includes(key) && !log.includes(forged));
});

test('wrong TOTP codes with --ip feed the blocks policy, unknown users too', () => {
  const home = join(tmp.dir, 'h2');
  assert.equal(runCli(['--home', home, 'init', '--quiet']).code, 0);
  for (let i = 0; i < 5; i++) {
    const r = runCli(['--home', home, 'totp', 'verify', 'nobody', '--ip', '192.0.2.77'], { input: '123456\n' });
    assert.equal(r.code, 1, r.stderr);
  }
  assert.equal(runCli(['--home', home, 'blocks', 'check', '192.0.2.77']).code, 1);
});
