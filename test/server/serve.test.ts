import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { connect as tlsConnect } from 'node:tls';
import { join } from 'node:path';
import { compileServeSettings } from '../../src/core/serve/settings.js';
import { createRuntime } from '../../src/services/runtime.js';
import { startServer, type RunningServer } from '../../src/server/serve.js';
import type { Store } from '../../src/store/store.js';
import type { EndpointFactory } from '../../src/server/mount.js';
import { runCli, tempDir } from '../support/cli.js';
import { httpGet } from '../support/serve.js';

interface Harness {
  readonly server: RunningServer;
  readonly home: string;
  readonly log: string[];
  readonly cli: (args: string[]) => ReturnType<typeof runCli>;
}

async function harness(dir: string, opts: { config?: string; wrapStore?: (s: Store) => Store; endpoints?: EndpointFactory[] } = {}): Promise<Harness> {
  const home = join(dir, 'home');
  assert.equal(runCli(['--home', home, 'init']).code, 0);
  if (opts.config !== undefined) {
    writeFileSync(join(home, 'config.yaml'), opts.config);
    chmodSync(join(home, 'config.yaml'), 0o600);
  }
  const rt = createRuntime({ resolvedHome: home, env: {}, cwd: dir });
  const log: string[] = [];
  const server = await startServer({
    loadSettings: async () => {
      const s = compileServeSettings((await rt.config()).serve, { listen: ['127.0.0.1:0'] });
      if (!s.ok) throw new Error(s.message);
      return { rt, settings: s.value };
    },
    write: (l) => log.push(l),
    ...(opts.wrapStore ? { wrapStore: opts.wrapStore } : {}),
    ...(opts.endpoints ? { endpoints: opts.endpoints } : {}),
  });
  return { server, home, log, cli: (args) => runCli(['--home', home, ...args]) };
}

/** A store whose key lookups fail as a broken disk does, once `broken.on` is set. */
function breakable(broken: { on: boolean }) {
  const bind = <T extends object>(target: T, over: (p: string | symbol) => unknown) =>
    new Proxy(target, {
      get(t, p) {
        const o = over(p);
        if (o !== undefined) return o;
        const v = Reflect.get(t, p, t) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
      },
    });
  return (store: Store): Store =>
    bind(store, (p) =>
      p === 'keys'
        ? bind(store.keys, (q) =>
            q === 'findByHmac' && broken.on
              ? async () => {
                  throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' });
                }
              : undefined,
          )
        : undefined,
    );
}

test('serve: a store error fails closed: 503, a metric and a log line, never 200', async () => {
  const t = tempDir();
  const broken = { on: false };
  const h = await harness(t.dir, { wrapStore: breakable(broken) });
  try {
    const key = h.cli(['keys', 'issue', '--name', 'k']).stdout.trim();
    const url = h.server.urls[0] as string;
    broken.on = true;
    const r = await httpGet(url, '/auth', { 'X-Original-URI': '/', 'X-API-Key': key });
    assert.equal(r.status, 503);
    assert.equal(r.headers['x-agentsec-reason'], 'store-error');
    assert.equal(h.server.metrics.value('store_errors_total'), 1);
    assert.ok(h.log.some((l) => /"event":"store-error".*disk I\/O error/.test(l)), h.log.join(''));
    assert.ok(!h.log.join('').includes(key));
    broken.on = false;
    assert.equal((await httpGet(url, '/auth', { 'X-Original-URI': '/', 'X-API-Key': key })).status, 200, 'back once the store answers');
  } finally {
    await h.server.shutdown();
    t.cleanup();
  }
});

test('serve: shutdown drains in-flight requests, then stops listening', async () => {
  const t = tempDir();
  const slow: EndpointFactory = () => ({
    name: 'slow',
    matches: (p) => p === '/slow',
    handle: async (_req, res) => {
      await new Promise((r) => setTimeout(r, 400));
      res.writeHead(200).end('done');
    },
  });
  const h = await harness(t.dir, { endpoints: [slow] });
  const url = h.server.urls[0] as string;
  const pending = httpGet(url, '/slow');
  await new Promise((r) => setTimeout(r, 100));
  const t0 = Date.now();
  const stopping = h.server.shutdown();
  const reply = await pending;
  await stopping;
  assert.equal(reply.status, 200);
  assert.equal(reply.body, 'done');
  assert.ok(Date.now() - t0 >= 250, 'shutdown waited for the request');
  await assert.rejects(httpGet(url, '/healthz'), /ECONNREFUSED/);
  assert.ok(h.log.some((l) => l.includes('"event":"stopped"')));
  t.cleanup();
});

test('serve: denials are audited one by one up to serve.audit.maxDenials, the rest in one summary per period', async () => {
  const t = tempDir();
  const h = await harness(t.dir, { config: 'serve:\n  audit:\n    interval: 1h\n    maxDenials: 2\n' });
  const url = h.server.urls[0] as string;
  for (let i = 0; i < 10; i++) assert.equal((await httpGet(url, '/auth', { 'X-Original-URI': '/private?token=s3cr3t', 'X-Forwarded-For': '192.0.2.7' })).status, 401);
  await h.server.shutdown();
  const log = h.cli(['--json', 'audit', 'log']);
  assert.equal(log.code, 0, log.stderr);
  const entries = log.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; actor: { kind: string }; data: Record<string, unknown> });
  const denies = entries.filter((e) => e.type === 'serve.deny');
  assert.equal(denies.length, 2);
  assert.deepEqual(denies[0]?.data, { ip: '192.0.2.7', method: 'GET', path: '/private', status: 401, reason: 'missing-credential' });
  assert.equal(denies[0]?.actor.kind, 'serve');
  const summary = entries.filter((e) => e.type === 'serve.decisions');
  assert.equal(summary.length, 1);
  assert.deepEqual(summary[0]?.data['counts'], { 'deny:missing-credential': 10, suppressed: 8 });
  assert.deepEqual(summary[0]?.data['topDenied'], [{ ip: '192.0.2.7', denied: 10 }]);
  assert.ok(!log.stdout.includes('s3cr3t'), 'queries are never audited');
  t.cleanup();
});

test('serve: /healthz and /metrics only for loopback and serve.metricsAllow', async () => {
  const t = tempDir();
  const h = await harness(t.dir);
  try {
    const url = h.server.urls[0] as string;
    // Through a trusted proxy on loopback, the client is the forwarded address: a public one is refused.
    assert.equal((await httpGet(url, '/metrics', { 'X-Forwarded-For': '198.51.100.1' })).status, 403);
    const m = await httpGet(url, '/metrics');
    assert.equal(m.status, 200);
    assert.match(m.body, /^# TYPE agentsec_request_duration_seconds histogram$/m);
    assert.match(m.body, /^agentsec_blocks_indexed \d+$/m);
    const hz = await httpGet(url, '/healthz');
    assert.equal(hz.status, 200, hz.body);
    assert.deepEqual(JSON.parse(hz.body), { status: 'ok', checks: { store: 'ok', auditKey: 'ok', decisions: 'ok' } });
  } finally {
    await h.server.shutdown();
    t.cleanup();
  }
});

function makeCert(dir: string, name: string): { cert: string; key: string } | undefined {
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', `/CN=${name}`], { encoding: 'utf8' });
  return r.status === 0 ? { cert, key } : undefined;
}

function handshake(port: number, maxVersion: 'TLSv1.2' | 'TLSv1.3'): Promise<{ ok: boolean; cn?: string; error?: string }> {
  return new Promise((resolve) => {
    const s = tlsConnect({ host: '127.0.0.1', port, rejectUnauthorized: false, maxVersion }, () => {
      const cn = s.getPeerCertificate().subject?.CN;
      s.end();
      resolve({ ok: true, ...(typeof cn === 'string' ? { cn } : {}) });
    });
    s.on('error', (e: NodeJS.ErrnoException) => resolve({ ok: false, error: e.code ?? e.message }));
  });
}

test('serve: TLS 1.3 at least, certificate read again on reload', async (t) => {
  const d = tempDir();
  const a = makeCert(d.dir, 'first');
  if (!a) {
    t.skip('openssl is not installed: cannot make a test certificate');
    d.cleanup();
    return;
  }
  const h = await harness(d.dir, { config: `serve:\n  tls:\n    cert: ${a.cert}\n    key: ${a.key}\n` });
  try {
    const url = h.server.urls[0] as string;
    assert.match(url, /^https:/);
    const port = Number(new URL(url).port);
    assert.equal((await handshake(port, 'TLSv1.2')).ok, false, 'TLS 1.2 is refused');
    assert.deepEqual(await handshake(port, 'TLSv1.3'), { ok: true, cn: 'first' });
    const b = makeCert(d.dir, 'second') as { cert: string; key: string };
    writeFileSync(join(h.home, 'config.yaml'), `serve:\n  tls:\n    cert: ${b.cert}\n    key: ${b.key}\n`);
    assert.equal(await h.server.reload(), true);
    assert.deepEqual(await handshake(port, 'TLSv1.3'), { ok: true, cn: 'second' });
    // A reload naming a missing key file is refused; the running certificate stays.
    writeFileSync(join(h.home, 'config.yaml'), `serve:\n  tls:\n    cert: ${b.cert}\n    key: ${join(d.dir, 'missing.key')}\n`);
    assert.equal(await h.server.reload(), false);
    assert.ok(h.log.some((l) => /"event":"reload-refused".*missing\.key/.test(l)));
    assert.deepEqual(await handshake(port, 'TLSv1.3'), { ok: true, cn: 'second' });
  } finally {
    await h.server.shutdown();
    d.cleanup();
  }
});
