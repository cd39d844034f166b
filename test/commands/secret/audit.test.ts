import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runCli, tempDir } from '../../support/cli.js';

const tmp = tempDir();
after(() => tmp.cleanup());

test('a rotation is recorded in the audit chain with name and fingerprint, never a value', () => {
  const home = join(tmp.dir, 'h');
  const pubkey = runCli(['--home', home, 'init', '--quiet']).stdout.trim();
  const env = join(tmp.dir, '.env');
  const oldValue = 'your-super-secret-jwt-key-change-in-production';
  writeFileSync(env, `JWT_SECRET=${oldValue}\nPORT=8080\n`, { mode: 0o600 });
  const r = runCli(['--home', home, 'secret', 'rotate', 'JWT_SECRET', '--dotenv', env]);
  assert.equal(r.code, 0, r.stderr);
  const newValue = /^JWT_SECRET=(.*)$/m.exec(readFileSync(env, 'utf8'))?.[1] as string;
  assert.ok(newValue && newValue !== oldValue);
  const log = runCli(['--home', home, 'audit', 'log', '--json', '--type', 'secret.rotated']);
  const entry = JSON.parse(log.stdout.trim()) as { data: { name: string; file: string; fingerprint: string } };
  assert.equal(entry.data.name, 'JWT_SECRET');
  assert.match(entry.data.fingerprint, /\S/);
  const exported = runCli(['--home', home, 'audit', 'export']).stdout;
  for (const v of [newValue, oldValue]) assert.ok(!exported.includes(v), 'no secret value in the audit chain');
  assert.equal(runCli(['--home', home, 'audit', 'verify', '--pubkey', pubkey]).code, 0);
});
