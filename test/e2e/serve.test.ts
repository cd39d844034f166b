import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { statSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, runCliAsync, tempDir } from '../support/cli.js';
import { httpGet, startServe } from '../support/serve.js';

function home(dir: string): { home: string; cli: (args: string[], input?: string) => ReturnType<typeof runCli> } {
  const h = join(dir, 'home');
  assert.equal(runCli(['--home', h, 'init']).code, 0);
  return { home: h, cli: (args, input) => runCli(['--home', h, ...args], input === undefined ? {} : { input }) };
}

const issueKey = (cli: ReturnType<typeof home>['cli'], name: string, extra: string[] = []) => {
  const r = cli(['keys', 'issue', '--name', name, ...extra]);
  assert.equal(r.code, 0, r.stderr);
  return { key: r.stdout.trim(), id: /issued API key (key_[0-9A-Za-z]{16})/.exec(r.stderr)?.[1] as string };
};

/** Polls until `check` holds (or fails after `ms`), returning how long it took. */
async function within(ms: number, check: () => Promise<boolean>): Promise<number> {
  const t0 = Date.now();
  for (;;) {
    if (await check()) return Date.now() - t0;
    if (Date.now() - t0 > ms) return Infinity;
    await new Promise((r) => setTimeout(r, 25));
  }
}

test('serve e2e: forward auth answers with identity; CLI revocations and blocks count within 1 s', async () => {
  const t = tempDir();
  const { home: h, cli } = home(t.dir);
  const { key, id } = issueKey(cli, 'agent-7', ['--role', 'operator']);
  const s = await startServe(['--home', h, 'serve', '--listen', '127.0.0.1:0']);
  try {
    const auth = (headers: Record<string, string>) => httpGet(s.url, '/auth', { 'X-Original-URI': '/v1/memories', 'X-Original-Method': 'GET', ...headers });
    const ok = await auth({ 'X-API-Key': key });
    assert.equal(ok.status, 200, ok.body);
    assert.equal(ok.headers['x-agentsec-subject'], 'agent-7');
    assert.equal(ok.headers['x-agentsec-key-id'], id);
    assert.equal(ok.headers['x-agentsec-role'], 'operator');
    assert.match(String(ok.headers['x-agentsec-scopes']), /message:inject/);
    assert.match(String(ok.headers['x-request-id']), /^[0-9a-f]{8}-/);
    const bearer = await auth({ Authorization: `Bearer ${key}` });
    assert.equal(bearer.status, 200);

    const none = await auth({});
    assert.equal(none.status, 401);
    assert.equal(none.headers['www-authenticate'], 'Bearer realm="agentsec"');

    // A JWT access token, then its revocation by the CLI.
    assert.equal(cli(['jwt', 'keygen']).code, 0);
    const issued = cli(['--json', 'jwt', 'issue', '--sub', 'user-1', '--scope', 'memory:read']);
    assert.equal(issued.code, 0, issued.stderr);
    const token = (JSON.parse(issued.stdout) as { accessToken: string }).accessToken;
    const j = await auth({ Authorization: `Bearer ${token}` });
    assert.equal(j.status, 200, j.body);
    assert.equal(j.headers['x-agentsec-kind'], 'jwt');
    assert.equal(j.headers['x-agentsec-subject'], 'user-1');
    assert.equal((await runCliAsync(['--home', h, '--yes', 'jwt', 'revoke', '--sub', 'user-1'])).code, 0);
    const jwtGone = await within(1000, async () => (await auth({ Authorization: `Bearer ${token}` })).status === 401);
    assert.ok(jwtGone <= 1000, `jwt revoke took effect after ${jwtGone} ms`);

    // keys revoke by the CLI: the cached key stops working within 1 s.
    assert.equal((await runCliAsync(['--home', h, '--yes', 'keys', 'revoke', id])).code, 0);
    const keyGone = await within(1000, async () => (await auth({ 'X-API-Key': key })).status === 401);
    assert.ok(keyGone <= 1000, `keys revoke took effect after ${keyGone} ms`);

    // blocks add by the CLI: the address is refused within 1 s (loopback is a trusted proxy: X-Forwarded-For counts).
    const other = issueKey(cli, 'agent-8').key;
    const from = (ip: string) => auth({ 'X-API-Key': other, 'X-Forwarded-For': ip });
    assert.equal((await from('198.51.100.20')).status, 200);
    assert.equal((await runCliAsync(['--home', h, 'blocks', 'add', '198.51.100.20', '--for', '1h'])).code, 0);
    const blockedAfter = await within(1000, async () => (await from('198.51.100.20')).headers['x-agentsec-reason'] === 'blocked');
    assert.ok(blockedAfter <= 1000, `blocks add took effect after ${blockedAfter} ms`);
    assert.equal((await from('198.51.100.21')).status, 200, 'only that address');

    // Bad keys feed the blocks policy: five failures (the default) and the address is blocked.
    const bad = 'ask_' + 'x'.repeat(43) + '_AAAAAA';
    for (let i = 0; i < 5; i++) assert.equal((await auth({ 'X-API-Key': bad, 'X-Forwarded-For': '203.0.113.9' })).status, 401);
    const afterBad = await auth({ 'X-API-Key': other, 'X-Forwarded-For': '203.0.113.9' });
    assert.equal(afterBad.status, 403);
    assert.equal(afterBad.headers['x-agentsec-reason'], 'blocked');
    const check = cli(['blocks', 'check', '203.0.113.9']);
    assert.equal(check.code, 1, 'the block is in the store, for every other tool');

    // No credential or token ever reaches the log.
    for (const secret of [key, other, token, bad]) assert.ok(!s.stderr().includes(secret), 'a credential in the log');
  } finally {
    assert.equal(await s.stop(), 0, s.stderr());
    t.cleanup();
  }
});

test('serve e2e: route policy and rate limits from config.yaml; a bad reload keeps the running config', async () => {
  const t = tempDir();
  const { home: h, cli } = home(t.dir);
  const { key } = issueKey(cli, 'reader', ['--scope', 'memory:read']);
  const cfg = join(h, 'config.yaml');
  const write = (text: string) => {
    writeFileSync(cfg, text);
    chmodSync(cfg, 0o600);
  };
  write(['serve:', '  routes:', '    - { route: "GET /health", require: public }', '    - { route: "POST /v1/memories/**", require: "memory:write" }', '    - { route: "GET /v1/memories/**", require: "memory:read" }', '  rateLimits:', '    - { name: login, route: "POST /login", per: ip, rate: 3/m }', '    - { route: "GET /v1/memories/**", per: key, rate: 100/s }', '  routes_typo: 1', ''].join('\n'));
  // Unknown keys are refused at start, exit 2, one line.
  const refused = await runCliAsync(['--home', h, 'serve', '--listen', '127.0.0.1:0']);
  assert.equal(refused.code, 2, refused.stderr);
  assert.match(refused.stderr, /^agentsec: config .*config\.yaml: serve: Unrecognized key/);
  assert.equal(refused.stderr.trim().split('\n').length, 1);
  write(['serve:', '  routes:', '    - { route: "GET /health", require: public }', '    - { route: "POST /login", require: public }', '    - { route: "POST /v1/memories/**", require: "memory:write" }', '    - { route: "GET /v1/memories/**", require: "memory:read" }', '  rateLimits:', '    - { name: login, route: "POST /login", per: ip, rate: 3/m }', ''].join('\n'));
  const s = await startServe(['--home', h, 'serve', '--listen', '127.0.0.1:0']);
  try {
    const auth = (method: string, uri: string, headers: Record<string, string> = {}) => httpGet(s.url, '/auth', { 'X-Forwarded-Method': method, 'X-Forwarded-Uri': uri, ...headers });
    assert.equal((await auth('GET', '/health')).status, 200);
    assert.equal((await auth('GET', '/health')).headers['x-agentsec-kind'], 'public');
    assert.equal((await auth('GET', '/v1/memories/1', { 'X-API-Key': key })).status, 200);
    const write403 = await auth('POST', '/v1/memories/1', { 'X-API-Key': key });
    assert.equal(write403.status, 403);
    assert.equal(write403.headers['x-agentsec-reason'], 'insufficient-permission');
    assert.equal((await auth('GET', '/other')).status, 401, 'unmatched routes need a credential');
    for (let i = 0; i < 3; i++) assert.equal((await auth('POST', '/login', { 'X-Forwarded-For': '192.0.2.5' })).status, 200);
    const limited = await auth('POST', '/login', { 'X-Forwarded-For': '192.0.2.5' });
    assert.equal(limited.status, 429);
    assert.equal(limited.headers['retry-after'], '20');
    assert.equal((await auth('POST', '/login', { 'X-Forwarded-For': '192.0.2.6' })).status, 200, 'per address');

    // A reload with an unknown key is refused, logged, and the old config goes on.
    write(['serve:', '  routez: []', ''].join('\n'));
    s.child.kill('SIGHUP');
    await s.waitFor(/"event":"reload-refused"/);
    assert.equal((await auth('GET', '/health')).status, 200, 'the old routes still apply');
    // A good reload applies: /health is no longer public.
    write(['serve:', '  routes: []', ''].join('\n'));
    s.child.kill('SIGHUP');
    await s.waitFor(/"event":"reloaded"/);
    assert.equal((await auth('GET', '/health')).status, 401);
  } finally {
    assert.equal(await s.stop(), 0, s.stderr());
    t.cleanup();
  }
});

test('serve e2e: bad input gets a status and the process stays up (huge and malformed headers, slow clients, socket garbage)', async () => {
  const t = tempDir();
  const { home: h } = home(t.dir);
  const cfg = join(h, 'config.yaml');
  writeFileSync(cfg, ['serve:', '  limits:', '    headersTimeout: 1s', '    requestTimeout: 2s', ''].join('\n'));
  chmodSync(cfg, 0o600);
  const sock = join(t.dir, 'agentsec.sock');
  const s = await startServe(['--home', h, 'serve', '--listen', '127.0.0.1:0', '--socket', sock]);
  const raw = (data: string, opts: { path?: string; wait?: number } = {}): Promise<string> =>
    new Promise((resolve) => {
      const u = new URL(s.url);
      const c = opts.path ? connect(opts.path) : connect(Number(u.port), u.hostname);
      let got = '';
      c.setEncoding('utf8').on('data', (d: string) => (got += d));
      c.on('error', () => resolve(got));
      c.on('close', () => resolve(got));
      c.write(data);
      if (opts.wait === undefined) c.end();
    });
  try {
    assert.equal(statSync(sock).mode & 0o777, 0o600);
    const huge = await raw(`GET /auth HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(40_000)}\r\n\r\n`);
    assert.match(huge, /^HTTP\/1\.1 431 /);
    assert.match(await raw('GARBAGE\r\n\r\n'), /^HTTP\/1\.1 400 /);
    assert.match(await raw('GET /auth HTTP/1.1\r\nHost: x\r\nBad Header Name: 1\r\n\r\n'), /^HTTP\/1\.1 400 /);
    assert.match(await raw('\x00\x01\x02\xff garbage\r\n\r\n', { path: sock }), /^HTTP\/1\.1 400 /);
    // A slow client: the head never ends. The server closes it after the headers timeout (with 408).
    const t0 = Date.now();
    const slow = await raw('GET /auth HTTP/1.1\r\nHost: x\r\n', { wait: 1 });
    const took = Date.now() - t0;
    assert.ok(took < 6000, `closed after ${took} ms`);
    assert.ok(slow === '' || /^HTTP\/1\.1 408 /.test(slow), slow);
    // A forwarded chain with garbage in it, through a trusted proxy: 400, not a guess.
    assert.equal((await httpGet(s.url, '/auth', { 'X-Original-URI': '/', 'X-Forwarded-For': 'not-an-ip' })).status, 400);
    assert.equal((await httpGet(s.url, '/nowhere')).status, 404);
    // Still up, over TCP and over the socket (health is open to the socket).
    assert.equal((await httpGet(s.url, '/healthz')).status, 200);
    const viaSock = await httpGet('http://localhost', '/healthz', {}, { socketPath: sock });
    assert.equal(viaSock.status, 200, viaSock.body);
  } finally {
    assert.equal(await s.stop(), 0, s.stderr());
    t.cleanup();
  }
});

test('serve e2e: 10,000 concurrent connections are all answered', async (t) => {
  const r = runCli(['--version']);
  assert.equal(r.code, 0);
  const { spawnSync } = await import('node:child_process');
  const limit = Number(spawnSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).stdout.trim());
  if (!(limit >= 10_500)) {
    t.skip(`needs ulimit -n of at least 10500 (here ${limit}): raise it to run this test`);
    return;
  }
  const d = tempDir();
  const { home: h } = home(d.dir);
  const s = await startServe(['--home', h, 'serve', '--listen', '127.0.0.1:0']);
  try {
    const u = new URL(s.url);
    const N = 10_000;
    const sockets: ReturnType<typeof connect>[] = [];
    // Each connection asks at once (an idle connection that sends nothing is rightly closed after the headers
    // timeout), and stays open afterwards (keep-alive): once every answer is in, all 10,000 are open together.
    const answers = await Promise.all(
      Array.from(
        { length: N },
        () =>
          new Promise<string>((resolve) => {
            let got = '';
            const c = connect(Number(u.port), u.hostname, () => c.write('GET /auth HTTP/1.1\r\nHost: x\r\nX-Original-URI: /\r\n\r\n'));
            sockets.push(c);
            c.setEncoding('utf8').on('data', (x: string) => {
              got += x;
              if (got.includes('\r\n\r\n')) resolve(got.slice(0, 12));
            });
            c.on('error', () => resolve(`error ${got.slice(0, 12)}`));
            c.on('close', () => resolve(got.slice(0, 12)));
          }),
      ),
    );
    const open = Number(/^agentsec_open_connections (\d+)$/m.exec((await httpGet(s.url, '/metrics')).body)?.[1]);
    assert.ok(open >= N, `${open} connections open at once`);
    for (const c of sockets) c.destroy();
    const counts = new Map<string, number>();
    for (const a of answers) counts.set(a, (counts.get(a) ?? 0) + 1);
    assert.deepEqual([...counts], [['HTTP/1.1 401', N]]);
    assert.equal((await httpGet(s.url, '/healthz')).status, 200);
  } finally {
    assert.equal(await s.stop(), 0, s.stderr());
    d.cleanup();
  }
});
