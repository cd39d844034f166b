import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { protect } from '../../src/index.js';
import { runCli, tempDir } from '../support/cli.js';
import { httpGet } from '../support/serve.js';

test('library: protect() is the serve decision as node:http middleware (identity on req, refusals answered)', async () => {
  const t = tempDir();
  const home = join(t.dir, 'home');
  assert.equal(runCli(['--home', home, 'init']).code, 0);
  writeFileSync(join(home, 'config.yaml'), 'serve:\n  routes:\n    - { route: "GET /health", require: public }\n    - { route: "POST /v1/**", require: "memory:write" }\n');
  chmodSync(join(home, 'config.yaml'), 0o600);
  const key = runCli(['--home', home, 'keys', 'issue', '--name', 'app-user', '--scope', 'memory:read']).stdout.trim();
  const mw = protect({ home });
  const server = createServer((req, res) =>
    mw(req, res, (err) => {
      if (err) return res.writeHead(500).end(String(err));
      const id = (req as typeof req & { agentsec?: { kind: string; subject: string | null } }).agentsec;
      res.writeHead(200).end(`${id?.kind}:${id?.subject}`);
    }),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  try {
    assert.deepEqual([(await httpGet(url, '/health')).status, (await httpGet(url, '/health')).body], [200, 'public:null']);
    const ok = await httpGet(url, '/v1/memories', { 'X-API-Key': key });
    assert.deepEqual([ok.status, ok.body], [200, 'api-key:app-user']);
    const none = await httpGet(url, '/v1/memories');
    assert.equal(none.status, 401);
    assert.equal(none.headers['www-authenticate'], 'Bearer realm="agentsec"');
    assert.equal((await httpGet(url, '/v1/memories', { 'X-API-Key': key }, { method: 'POST' })).status, 403);
    assert.equal(runCli(['--home', home, 'blocks', 'add', '198.51.100.3']).code, 0);
    await new Promise((r) => setTimeout(r, 600));
    const blocked = await httpGet(url, '/health', { 'X-Forwarded-For': '198.51.100.3' });
    assert.deepEqual([blocked.status, blocked.headers['x-agentsec-reason']], [403, 'blocked']);
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
    await mw.close();
    t.cleanup();
  }
});
