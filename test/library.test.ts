import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { appendAudit, closeAgentsec, AgentsecError } from '../src/index.js';
import { runCli, tempDir } from './support/cli.js';

const tmp = tempDir();
after(async () => {
  await closeAgentsec();
  tmp.cleanup();
});

test('appendAudit writes to the chain of the given home; verify sees it', async () => {
  const home = join(tmp.dir, 'h');
  const init = runCli(['--home', home, 'init', '--quiet']);
  assert.equal(init.code, 0);
  const a = await appendAudit({ type: 'app.login', actor: { user: 'ana' }, data: { ip: '203.0.113.7' } }, { home });
  const b = await appendAudit({ type: 'app.logout' }, { home });
  assert.equal(b.seq, a.seq + 1);
  const log = runCli(['--home', home, 'audit', 'log', '--json', '--type', 'app.login']);
  const rec = JSON.parse(log.stdout.trim()) as { seq: number; actor: { user: string }; hash: string };
  assert.equal(rec.seq, a.seq);
  assert.equal(rec.hash, a.hash);
  assert.equal(rec.actor.user, 'ana');
  const v = runCli(['--home', home, 'audit', 'verify', '--pubkey', init.stdout.trim()]);
  assert.equal(v.code, 0, 'verified, newest entries not sealed yet: exit 0 with a warning');
  assert.match(v.stderr, /incomplete/);
});

test('appendAudit refuses non-canonical data and an uninitialised home with an AgentsecError', async () => {
  const home = join(tmp.dir, 'h2');
  runCli(['--home', home, 'init', '--quiet']);
  await assert.rejects(appendAudit({ type: 'app.x', data: { ratio: 0.5 } }, { home }), AgentsecError);
  await assert.rejects(appendAudit({ type: 'Not A Type' }, { home }), AgentsecError);
  await assert.rejects(appendAudit({ type: 'app.x' }, { home: join(tmp.dir, 'none') }), /run agentsec init/);
});
