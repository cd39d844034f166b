import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runCli, tempDir } from '../support/cli.js';

const tmp = tempDir('agentsec-e2e-serve-creds-');
after(() => tmp.cleanup());

test('the built binary: an app token and a bouncer key are printed once, on stdout only, and never listed', () => {
  const home = join(tmp.dir, 'h');
  const cli = (...args: string[]) => runCli(['--home', home, ...args]);
  assert.equal(cli('init').code, 0);
  const created = cli('serve', 'token', 'create', 'letta', '--scope', 'keys:verify,blocks:record');
  assert.equal(created.code, 0, created.stderr);
  const token = created.stdout.trim();
  assert.match(token, /^agsapp_\w{43}_\w{6}$/);
  assert.ok(!created.stderr.includes(token));
  const bouncer = cli('serve', 'bouncer', 'add', 'fw');
  const key = bouncer.stdout.trim();
  assert.match(key, /^agsbouncer_\w{43}_\w{6}$/);
  for (const args of [['serve', 'token', 'list', '--all'], ['--json', 'serve', 'token', 'list', '--all'], ['serve', 'bouncer', 'list'], ['--json', 'serve', 'bouncer', 'list'], ['--json', 'audit', 'log']]) {
    const r = cli(...args);
    assert.equal(r.code, 0, r.stderr);
    for (const s of [token, key]) assert.ok(!r.stdout.includes(s.slice(-20)) && !r.stderr.includes(s.slice(-20)), args.join(' '));
  }
  const listed = JSON.parse(cli('--json', 'serve', 'token', 'list').stdout) as { tokens: Array<{ name: string; token: string; scopes: string[]; status: string }> };
  assert.deepEqual(listed.tokens.map((t) => [t.name, t.token, t.scopes, t.status]), [['letta', `agsapp_…${token.slice(-4)}`, ['keys:verify', 'blocks:record'], 'active']]);
  // A leaked token is found by the key scanner, like an API key.
  writeFileSync(join(tmp.dir, 'leak.env'), `APP_TOKEN=${token}\n`);
  assert.match(cli('keys', 'scan', join(tmp.dir, 'leak.env')).stdout, /agsapp_…/);
});

test('the built binary: bad input changes nothing and exits 2; revoke and delete ask first, or take --yes', () => {
  const home = join(tmp.dir, 'h2');
  const cli = (...args: string[]) => runCli(['--home', home, ...args]);
  assert.equal(cli('init').code, 0);
  const bad = cli('serve', 'token', 'create', 'x', '--scope', 'keys:verify', '--scope', 'root:all');
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^agentsec: --scope: unknown scope 'root:all'/);
  assert.equal(cli('serve', 'token', 'create', 'x').code, 2, 'no scope');
  assert.equal(cli('serve', 'token', 'create', '../x', '--scope', 'keys:verify').code, 2);
  assert.deepEqual(JSON.parse(cli('--json', 'serve', 'token', 'list', '--all').stdout).tokens, []);
  assert.equal(cli('serve', 'token', 'create', 'x', '--scope', 'keys:verify').code, 0);
  assert.equal(cli('serve', 'token', 'create', 'x', '--scope', 'keys:verify').code, 2, 'a taken name');
  const refused = cli('serve', 'token', 'revoke', 'x');
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /--yes/);
  assert.equal(cli('serve', 'token', 'revoke', 'x', '--yes').code, 0);
  assert.equal(JSON.parse(cli('--json', 'serve', 'token', 'list', '--all').stdout).tokens[0].status, 'revoked');
  assert.equal(cli('serve', 'bouncer', 'delete', 'nope', '--yes').code, 2);
  assert.equal(cli('serve', 'bouncer', 'add', 'fw').code, 0);
  assert.equal(cli('serve', 'bouncer', 'delete', 'fw').code, 2, 'asks first');
  assert.equal(cli('serve', 'bouncer', 'delete', 'fw', '--yes').code, 0);
  assert.deepEqual(JSON.parse(cli('--json', 'serve', 'bouncer', 'list').stdout).bouncers, []);
});
