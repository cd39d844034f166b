import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runCli, tempDir } from '../../support/cli.js';

const tmp = tempDir();
after(() => tmp.cleanup());

test('issue, rotate and revoke are recorded in the audit chain, never the key', () => {
  const home = join(tmp.dir, 'h');
  const pubkey = runCli(['--home', home, 'init', '--quiet']).stdout.trim();
  const issued = runCli(['--home', home, 'keys', 'issue', '--name', 'ci', '--role', 'operator']);
  assert.equal(issued.code, 0, issued.stderr);
  const key = issued.stdout.trim();
  const id = (JSON.parse(runCli(['--home', home, '--json', 'keys', 'list']).stdout) as { keys: Array<{ id: string }> }).keys[0]?.id as string;
  const rotated = runCli(['--home', home, 'keys', 'rotate', id, '--grace', '1h']);
  assert.equal(rotated.code, 0, rotated.stderr);
  assert.equal(runCli(['--home', home, 'keys', 'revoke', id, '--yes']).code, 0);
  const log = runCli(['--home', home, 'audit', 'log', '--json']);
  const entries = log.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; data: Record<string, unknown> });
  assert.deepEqual(entries.map((e) => e.type), ['audit.init', 'keys.issue', 'keys.rotate', 'keys.revoke']);
  assert.equal(entries[1]?.data['id'], id);
  assert.equal(entries[3]?.data['id'], id);
  for (const k of [key, rotated.stdout.trim()]) {
    assert.ok(!log.stdout.includes(k), 'no key in the audit log');
    assert.ok(!log.stdout.includes(k.split('_')[1] as string), 'no key body in the audit log');
  }
  const export_ = runCli(['--home', home, 'audit', 'export']);
  assert.ok(!export_.stdout.includes(key.split('_')[1] as string));
  assert.equal(runCli(['--home', home, 'audit', 'verify', '--pubkey', pubkey]).code, 0, 'valid chain, newest entries unsealed: exit 0 with a warning');
});
