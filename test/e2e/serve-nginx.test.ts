import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { ROOT, runCli, tempDir } from '../support/cli.js';
import { freePort, nginxBinary, startNginx } from '../support/nginx.js';
import { httpGet, startServe } from '../support/serve.js';

test('serve e2e: real nginx auth_request (keepalive upstream, the shipped snippets) in front of a tiny app', async (t) => {
  if (!nginxBinary()) {
    t.skip('nginx is not installed (Debian package nginx): the auth_request e2e cannot run');
    return;
  }
  const d = tempDir();
  const home = join(d.dir, 'home');
  assert.equal(runCli(['--home', home, 'init']).code, 0);
  const cfg = join(home, 'config.yaml');
  writeFileSync(cfg, ['serve:', '  routes:', '    - { route: "GET /health", require: public }', '    - { route: "POST /v1/memories/**", require: "memory:write" }', '  rateLimits:', '    - { route: "GET /limited", per: ip, rate: 2/m }', ''].join('\n'));
  chmodSync(cfg, 0o600);
  const issued = runCli(['--home', home, 'keys', 'issue', '--name', 'agent-7', '--scope', 'memory:read']);
  const key = issued.stdout.trim();
  const seen: Array<Record<string, string | string[] | undefined>> = [];
  const app = createServer((req, res) => {
    seen.push(req.headers);
    res.writeHead(200, { 'Content-Type': 'text/plain' }).end(`app saw ${req.method} ${req.url} as ${req.headers['x-agentsec-subject'] ?? '-'}`);
  });
  await new Promise<void>((r) => app.listen(0, '127.0.0.1', () => r()));
  const appPort = (app.address() as { port: number }).port;
  const s = await startServe(['--home', home, 'serve', '--listen', '127.0.0.1:0']);
  const agentsecPort = Number(new URL(s.url).port);
  const port = await freePort();
  const snippets = join(ROOT, 'examples', 'serve', 'nginx');
  const nginx = await startNginx(
    d.dir,
    `  upstream agentsec { server 127.0.0.1:${agentsecPort}; keepalive 16; }
  upstream app { server 127.0.0.1:${appPort}; }
  server {
    listen 127.0.0.1:${port};
    include ${snippets}/agentsec-auth.conf;
    location / {
      auth_request /_agentsec/auth;
      include ${snippets}/agentsec-identity.conf;
      proxy_pass http://app;
    }
  }`,
    port,
  );
  try {
    const base = `http://127.0.0.1:${port}`;
    const ok = await httpGet(base, '/v1/memories/1?x=1', { 'X-API-Key': key });
    assert.equal(ok.status, 200, ok.body + nginx.errorLog());
    assert.equal(ok.body, 'app saw GET /v1/memories/1?x=1 as agent-7');
    const none = await httpGet(base, '/v1/memories/1');
    assert.equal(none.status, 401);
    assert.equal(none.headers['www-authenticate'], 'Bearer realm="agentsec"', 'nginx passes the challenge on');
    const forbidden = await httpGet(base, '/v1/memories/1', { 'X-API-Key': key }, { method: 'POST' });
    assert.equal(forbidden.status, 403, 'the original method reached agentsec');
    // A client cannot pass its own identity header to the app.
    const pub = await httpGet(base, '/health', { 'X-Agentsec-Subject': 'admin' });
    assert.equal(pub.status, 200);
    assert.equal(pub.body, 'app saw GET /health as -');
    // A 429 from agentsec reaches the client as 429 with Retry-After, not nginx's 500.
    for (let i = 0; i < 2; i++) assert.equal((await httpGet(base, '/limited', { 'X-API-Key': key })).status, 200);
    const limited = await httpGet(base, '/limited', { 'X-API-Key': key });
    assert.equal(limited.status, 429);
    assert.match(String(limited.headers['retry-after']), /^\d+$/);
    // Bad keys from one address get it blocked (nginx passes $remote_addr; agentsec trusts loopback).
    const bad = 'ask_' + 'q'.repeat(43) + '_AAAAAA';
    // 127.0.0.1 is on the blocks allowlist by default: the failures are counted but never block it.
    for (let i = 0; i < 6; i++) assert.equal((await httpGet(base, '/v1/memories/1', { 'X-API-Key': bad })).status, 401);
    assert.equal((await httpGet(base, '/v1/memories/1', { 'X-API-Key': key })).status, 200);
    assert.equal(seen.length, 5, 'only allowed requests reached the app');
    // Keep-alive to agentsec: many requests, few connections.
    for (let i = 0; i < 20; i++) await httpGet(base, '/health');
    const metrics = await httpGet(s.url, '/metrics');
    assert.match(metrics.body, /agentsec_decisions_total\{outcome="allow",reason="api-key"\} 4/);
    const conns = Number(/^agentsec_connections_total (\d+)$/m.exec(metrics.body)?.[1]);
    // 36 subrequests so far, plus this scrape's own connection.
    assert.ok(conns >= 2 && conns <= 6, `nginx opened ${conns - 1} connections to agentsec for 36 subrequests`);
  } finally {
    await nginx.stop();
    assert.equal(await s.stop(), 0, s.stderr());
    await new Promise<void>((r) => app.close(() => r()));
    d.cleanup();
  }
});
