import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli, tempDir } from '../support/cli.js';

/** Debian's `argon2` CLI (package argon2): the reference C implementation, independent of node-argon2's build. */
const HAVE_ARGON2_CLI = spawnSync('sh', ['-c', 'command -v argon2'], { encoding: 'utf8' }).status === 0;
const SKIP = HAVE_ARGON2_CLI ? false : 'argon2 CLI not installed (apt-get install argon2): independent cross-check skipped';

const PW = 'Tr0ub4dor&3 with spaces';
let home: string;
let cleanup: () => void;
before(() => {
  const t = tempDir('agentsec-e2e-argon2-');
  cleanup = t.cleanup;
  home = join(t.dir, 'home');
  assert.equal(runCli(['--home', home, 'init']).code, 0);
});
after(() => cleanup());

function bashQuote(bytes: Buffer): string {
  return `$'${[...bytes].map((b) => `\\x${b.toString(16).padStart(2, '0')}`).join('')}'`;
}

describe('argon2 hashes against an independent implementation', { skip: SKIP }, () => {
  it('the argon2 CLI recomputes exactly the hash agentsec printed', () => {
    let phc = '';
    let salt = Buffer.alloc(0);
    // bash can pass any byte in an argument except NUL: retry the rare salt that holds one.
    for (let i = 0; i < 10; i++) {
      const r = runCli(['--home', home, 'password', 'hash'], { input: PW });
      assert.equal(r.code, 0, r.stderr);
      phc = r.stdout.trim();
      salt = Buffer.from(phc.split('$')[4] as string, 'base64');
      if (!salt.includes(0)) break;
    }
    const m = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(phc);
    assert.ok(m, phc);
    const cli = spawnSync('bash', ['-c', `printf %s "$PW" | argon2 ${bashQuote(salt)} -id -k ${m[1]} -t ${m[2]} -p ${m[3]} -l 32 -e`], {
      env: { PATH: process.env['PATH'], PW },
      encoding: 'utf8',
    });
    assert.equal(cli.status, 0, cli.stderr);
    assert.equal(cli.stdout.trim(), phc);
  });

  it('agentsec verifies hashes the argon2 CLI made, and rejects a wrong password', () => {
    const cli = spawnSync('bash', ['-c', 'printf %s "$PW" | argon2 somesaltvalue1234 -id -k 19456 -t 2 -p 1 -l 32 -e'], {
      env: { PATH: process.env['PATH'], PW },
      encoding: 'utf8',
    });
    assert.equal(cli.status, 0, cli.stderr);
    const phc = cli.stdout.trim();
    assert.equal(runCli(['--home', home, 'password', 'verify', '--hash', phc], { input: PW }).code, 0);
    assert.equal(runCli(['--home', home, 'password', 'verify', '--hash', phc], { input: `${PW}x` }).code, 1);
    const weak = spawnSync('bash', ['-c', 'printf %s "$PW" | argon2 somesaltvalue1234 -i -m 12 -t 3 -p 1 -e'], { env: { PATH: process.env['PATH'], PW }, encoding: 'utf8' });
    const r = runCli(['--home', home, 'password', 'verify', '--hash', weak.stdout.trim(), '--json'], { input: PW });
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { needsRehash: boolean }).needsRehash, true);
  });
});
