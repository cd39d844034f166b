import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli, tempDir } from '../support/cli.js';

describe('master key file', () => {
  it('is read only as a plain file in the home: a symlink, even to a private file of ours, is refused', () => {
    const { dir, cleanup } = tempDir('agentsec-mk-');
    try {
      const home = join(dir, 'home');
      assert.equal(runCli(['--home', home, 'init', '--quiet']).code, 0);
      const key = join(home, 'master.key');
      const elsewhere = join(dir, 'elsewhere.key');
      fs.copyFileSync(key, elsewhere);
      fs.chmodSync(elsewhere, 0o600);
      fs.rmSync(key);
      fs.symlinkSync(elsewhere, key);
      fs.writeFileSync(join(dir, '.env'), 'API_TOKEN=x\n', { mode: 0o600 });
      const r = runCli(['--home', home, 'secret', 'rotate', 'API_TOKEN', '--dotenv', join(dir, '.env')]);
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stderr, `agentsec: key file ${key} is a symlink: agentsec reads its key files only as plain files in the home; put the file itself there\n`);
      assert.equal(fs.readFileSync(join(dir, '.env'), 'utf8'), 'API_TOKEN=x\n');
      const doctor = runCli(['--home', home, 'doctor', '--json']);
      assert.equal(doctor.code, 1);
      assert.match(doctor.stdout, /key file .* is a symlink/);
      // The file itself, put back: works again.
      fs.rmSync(key);
      fs.copyFileSync(elsewhere, key);
      fs.chmodSync(key, 0o600);
      assert.equal(runCli(['--home', home, 'secret', 'rotate', 'API_TOKEN', '--dotenv', join(dir, '.env')]).code, 0);
    } finally {
      cleanup();
    }
  });
});
