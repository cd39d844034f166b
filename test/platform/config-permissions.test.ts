import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { configFileProblem } from '../../src/platform/config.js';
import { runCli, tempDir } from '../support/cli.js';

/**
 * config.yaml sets the policy (lockouts, block thresholds, audiences), so a config that others can change is refused
 * by every command that reads it, with the fix, and `doctor` says exactly the same.
 */

let dir: string;
let cleanup: () => void;
let home: string;
before(() => {
  ({ dir, cleanup } = tempDir('agentsec-cfgperm-'));
  home = join(dir, 'home');
  assert.equal(runCli(['--home', home, 'init', '--quiet']).code, 0);
  fs.writeFileSync(join(dir, '.env'), 'API_TOKEN=Kp3xR9vT2mQ7wZ4nB8yL1cF6hJ0sD5gA\n', { mode: 0o600 });
});
after(() => cleanup());

const CONFIG = 'blocks:\n  max-failures: 7\ntotp:\n  maxFailures: 4\n';

// Commands that load config.yaml, across areas (each reads it through the same loader).
const COMMANDS: string[][] = [
  ['blocks', 'policy'],
  ['blocks', 'record', '192.0.2.7'],
  ['audit', 'status'],
  ['keys', 'issue', '--name', 'cfg-test'],
  ['jwt', 'keygen'],
  ['totp', 'enroll', '--force', '--yes', 'cfg-test'],
];

function setConfig(mode: number): string {
  const path = join(home, 'config.yaml');
  fs.rmSync(path, { force: true });
  fs.writeFileSync(path, CONFIG);
  fs.chmodSync(path, mode);
  return path;
}

interface DoctorDoc {
  ok: boolean;
  checks: Array<{ name: string; status: string; detail: string }>;
}

describe('config.yaml permissions mean the same in every command and in doctor', () => {
  for (const mode of [0o664, 0o646, 0o666, 0o620, 0o602]) {
    it(`mode ${mode.toString(8)}: refused everywhere with the chmod fix`, () => {
      const path = setConfig(mode);
      const all = [...COMMANDS, ['secret', 'rotate', 'API_TOKEN', '--dotenv', join(dir, '.env'), '--dry-run']];
      for (const args of all) {
        const r = runCli(['--home', home, ...args]);
        assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
        assert.equal(r.stderr, `agentsec: config ${path} is writable by ${mode & 0o020 ? (mode & 0o002 ? 'group and others' : 'its group') : 'others'} (mode 0${mode.toString(8)}), who could change agentsec's policy: run chmod go-w ${path}\n`, args.join(' '));
      }
      const doctor = runCli(['--home', home, 'doctor', '--json']);
      assert.equal(doctor.code, 1);
      const doc = JSON.parse(doctor.stdout) as DoctorDoc;
      const rows = doc.checks.filter((c) => c.status === 'fail');
      assert.ok(rows.length > 0 && rows.every((c) => c.detail.includes(`config ${path} is writable by`) && c.detail.endsWith(`run chmod go-w ${path}`)), JSON.stringify(rows));
      // The fix it gives works.
      fs.chmodSync(path, mode & ~0o022);
      assert.equal(runCli(['--home', home, 'blocks', 'policy']).code, 0);
    });
  }

  for (const mode of [0o600, 0o644, 0o640, 0o400]) {
    it(`mode ${mode.toString(8)}: accepted everywhere, and doctor agrees`, () => {
      setConfig(mode);
      const policy = runCli(['--home', home, '--json', 'blocks', 'policy']);
      assert.equal(policy.code, 0, policy.stderr);
      assert.equal((JSON.parse(policy.stdout) as { policy: { maxFailures: number } }).policy.maxFailures, 7, 'the config was read');
      for (const args of COMMANDS) {
        const r = runCli(['--home', home, ...args]);
        assert.notEqual(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      }
      const doctor = runCli(['--home', home, 'doctor', '--json']);
      const doc = JSON.parse(doctor.stdout) as DoctorDoc;
      assert.deepEqual(doc.checks.filter((c) => c.name.includes('config')).map((c) => c.status), ['ok', 'ok'], JSON.stringify(doc.checks));
      assert.equal(doctor.code, 0, doctor.stdout);
    });
  }

  it('the library refuses it too', async () => {
    const path = setConfig(0o666);
    const { recordFailure, closeAgentsec } = await import('../../src/index.js');
    await assert.rejects(recordFailure('192.0.2.9', 'auth', { home }), (err: Error) => err.message === `config ${path} is writable by group and others (mode 0666), who could change agentsec's policy: run chmod go-w ${path}`);
    await closeAgentsec();
    fs.chmodSync(path, 0o600);
  });

  it('one rule: a config owned by another user (not root) or not a regular file is refused', () => {
    assert.match(configFileProblem('/h/config.yaml', { uid: 4242, mode: 0o600, isFile: true }, 1000) ?? '', /owned by another user \(uid 4242\)/);
    assert.equal(configFileProblem('/h/config.yaml', { uid: 0, mode: 0o644, isFile: true }, 1000), undefined, 'root-owned and not writable by others is trusted');
    assert.match(configFileProblem('/h/config.yaml', { uid: 1000, mode: 0o600, isFile: false }, 1000) ?? '', /not a regular file/);
    assert.equal(configFileProblem('/h/config.yaml', { uid: 1000, mode: 0o644, isFile: true }, 1000), undefined);
  });
});
