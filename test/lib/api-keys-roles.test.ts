import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { closeAgentsec, issueApiKey, verifyApiKey } from '../../src/index.js';
import { runCli, tempDir } from '../support/cli.js';

const tmp = tempDir();
const home = join(tmp.dir, 'h');
before(() => {
  const r = runCli(['--home', home, 'init', '--quiet']);
  assert.equal(r.code, 0, r.stderr);
  writeFileSync(join(home, 'config.yaml'), 'roles:\n  service: [memory:read, memory:write]\n', { mode: 0o600 });
});
after(async () => {
  await closeAgentsec();
  tmp.cleanup();
});

test('issueApiKey takes a role of config.yaml, as keys issue does, and refuses one the table does not define', async () => {
  const { key, info } = await issueApiKey({ name: 'mem0', role: 'service' }, { home });
  assert.equal(info.role, 'service');
  const ok = await verifyApiKey(key, { home, scopes: ['memory:write:agent-x'] });
  assert.equal(ok.valid, true);
  const no = await verifyApiKey(key, { home, scopes: ['agent:control'] });
  assert.equal(no.valid, false);
  assert.equal(no.code, 'INSUFFICIENT_SCOPE');
  await assert.rejects(issueApiKey({ name: 'x', role: 'auditor' }, { home }), /unknown role 'auditor'/);
  await assert.rejects(issueApiKey({ name: 'x', role: 'Service' }, { home }), /not a role name/);
});
