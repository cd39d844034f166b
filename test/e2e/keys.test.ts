import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '../support/cli.js';

test('e2e: issue, verify, rotate, revoke, scan through the real binary', () => {
  const t = tempDir();
  try {
    const home = join(t.dir, 'home');
    const a = (args: string[], opts: { input?: string; env?: Record<string, string> } = {}) => runCli(['--home', home, ...args], opts);
    assert.equal(a(['init']).code, 0);

    const issued = a(['keys', 'issue', '--name', 'e2e', '--role', 'operator', '--allow-ip', '192.0.2.0/24']);
    assert.equal(issued.code, 0, issued.stderr);
    const key = issued.stdout.trim();
    assert.match(key, /^ask_[0-9A-Za-z]{43}_[0-9A-Za-z]{6}$/);
    assert.ok(!issued.stderr.includes(key));
    const id = /issued API key (key_[0-9A-Za-z]{16})/.exec(issued.stderr)?.[1];
    assert.ok(id);

    const ok = a(['keys', 'verify', '--ip', '192.0.2.10', '--scope', 'message:inject'], { input: `${key}\n` });
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.stdout.split('\n')[0], 'VALID');
    const viaEnv = a(['--json', 'keys', 'verify', '--ip', '198.51.100.1'], { env: { AGENTSEC_API_KEY: key } });
    assert.equal(viaEnv.code, 1);
    assert.equal((JSON.parse(viaEnv.stdout) as { code: string }).code, 'FORBIDDEN_IP');
    const keyFile = join(t.dir, 'k');
    writeFileSync(keyFile, key);
    assert.equal(a(['keys', 'verify', '--key-file', keyFile, '--ip', '192.0.2.1']).code, 0);

    const empty = a(['keys', 'verify']);
    assert.equal(empty.code, 2);
    assert.equal(empty.stderr, 'agentsec: the API key from stdin is empty\n');

    const list = a(['--json', 'keys', 'list']);
    assert.equal(list.code, 0);
    assert.ok(!list.stdout.includes(key.split('_')[1] as string));

    const rotated = a(['keys', 'rotate', id, '--grace', '0s']);
    assert.equal(rotated.code, 0, rotated.stderr);
    const newKey = rotated.stdout.trim();
    assert.ok(!rotated.stderr.includes(newKey) && !rotated.stderr.includes(key), 'keys only on stdout');
    assert.equal((JSON.parse(a(['--json', 'keys', 'verify', '--ip', '192.0.2.1'], { input: key }).stdout) as { code: string }).code, 'EXPIRED');
    assert.equal(a(['keys', 'verify', '--ip', '192.0.2.1'], { input: newKey }).code, 0);

    writeFileSync(join(t.dir, 'config.env'), `OLD=${key}\nNEW=${newKey}\n`);
    const scan = a(['keys', 'scan', join(t.dir, 'config.env')]);
    assert.equal(scan.code, 1);
    assert.match(scan.stdout, /config\.env:1:5\task_…\S+\tkey_\S+\texpired/);
    assert.match(scan.stdout, /config\.env:2:5\task_…\S+\tkey_\S+\tactive/);
    const newId = /rotated \S+ to (key_\S+);/.exec(rotated.stderr)?.[1];
    assert.ok(newId);
    assert.equal(a(['keys', 'revoke', newId, '--reason', 'e2e', '--yes']).code, 0);
    assert.equal(a(['keys', 'scan', join(t.dir, 'config.env')]).code, 0);
    assert.equal(a(['keys', 'verify'], { input: newKey }).code, 1);

    const help = runCli(['keys', '--help']);
    assert.match(help.stdout, /issue/);
    assert.match(help.stdout, /scan/);
    const unknownFlag = a(['keys', 'issue', '--name', 'x', '--bogus']);
    assert.equal(unknownFlag.code, 2);
    assert.match(unknownFlag.stderr, /unknown option '--bogus'/);
  } finally {
    t.cleanup();
  }
});
