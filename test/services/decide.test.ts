import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { compileServeSettings, type ServeSettings } from '../../src/core/serve/settings.js';
import { openDecider } from '../../src/services/decide.js';
import { createRuntime } from '../../src/services/runtime.js';
import { runCli, tempDir } from '../support/cli.js';

async function setup(section: Parameters<typeof compileServeSettings>[0] = {}) {
  const t = tempDir();
  const home = join(t.dir, 'home');
  assert.equal(runCli(['--home', home, 'init']).code, 0);
  const cli = (args: string[]) => runCli(['--home', home, ...args]);
  let now = Date.parse('2026-12-02T00:00:00Z');
  const rt = createRuntime({ resolvedHome: home, env: {}, cwd: t.dir, clock: () => new Date(now) });
  const store = await rt.store({ serving: true });
  const s = compileServeSettings(section);
  assert.ok(s.ok);
  const settings: ServeSettings = s.value;
  const d = await openDecider({ rt, store, settings: () => settings });
  return {
    d,
    cli,
    store,
    tick: (ms: number) => (now += ms),
    close: async () => {
      await d.close();
      await store.close();
      t.cleanup();
    },
  };
}

test('decide: a blocked address is refused before its credential is looked at (no failure counted for it)', async () => {
  const h = await setup();
  try {
    assert.equal(h.cli(['blocks', 'add', '192.0.2.1', '--for', '1h']).code, 0);
    await h.d.refresh();
    const garbage = await h.d.decide({ clientIp: '192.0.2.1', method: 'GET', path: '/', authorization: 'Basic eA==' });
    assert.deepEqual(garbage, { outcome: 'deny', status: 403, reason: 'blocked' });
    const count = () => h.store.blocks.countFailures('192.0.2.1', 0, Number.MAX_SAFE_INTEGER);
    await h.d.decide({ clientIp: '192.0.2.1', method: 'GET', path: '/', apiKey: 'ask_' + 'x'.repeat(43) + '_AAAAAA' });
    assert.equal(await count(), 0, 'no work, no write for a blocked address');
    // The same bad key from an address that is not blocked is counted: the check above can see a failure.
    await h.d.decide({ clientIp: '192.0.2.2', method: 'GET', path: '/', apiKey: 'ask_' + 'x'.repeat(43) + '_AAAAAA' });
    assert.equal(await h.store.blocks.countFailures('192.0.2.2', 0, Number.MAX_SAFE_INTEGER), 1);
  } finally {
    await h.close();
  }
});

test('decide: order is credential, then route permission, then rate limit, then public', async () => {
  const h = await setup({
    routes: [
      { route: 'GET /pub/**', require: 'public' },
      { route: 'POST /mem/**', require: 'memory:write' },
    ],
    rateLimits: [{ route: 'GET /pub/**', per: 'ip', rate: '1/m' }],
  });
  try {
    const key = h.cli(['keys', 'issue', '--name', 'r', '--scope', 'memory:read']).stdout.trim();
    const ask = (path: string, method = 'GET', extra: Record<string, string> = {}) => h.d.decide({ clientIp: '198.51.100.4', method, path, ...extra });
    // A bad credential on a public route is still a 401: it is never silently ignored.
    assert.equal((await ask('/pub/x', 'GET', { apiKey: 'nope' })).status, 401);
    const pub = await ask('/pub/x');
    assert.equal(pub.outcome, 'allow');
    assert.equal(pub.outcome === 'allow' && pub.kind, 'public');
    assert.equal((await ask('/pub/x')).status, 429, 'public routes are rate limited too');
    // A permission failure is answered before the rate limit is charged.
    assert.equal((await ask('/mem/1', 'POST', { apiKey: key })).status, 403);
    const read = await ask('/mem/1', 'GET', { apiKey: key });
    assert.equal(read.outcome, 'allow');
    assert.deepEqual(read.outcome === 'allow' ? [read.kind, read.subject, read.scopes] : [], ['api-key', 'r', ['memory:read']]);
    assert.equal((await ask('/%zz')).status, 403, 'a path that is not one is refused');
  } finally {
    await h.close();
  }
});

test('decide: a rate limit per key counts the key wherever it comes from', async () => {
  const h = await setup({ rateLimits: [{ per: 'key', rate: '2/h' }] });
  try {
    const key = h.cli(['keys', 'issue', '--name', 'k']).stdout.trim();
    const from = (ip: string) => h.d.decide({ clientIp: ip, method: 'GET', path: '/', apiKey: key });
    assert.equal((await from('192.0.2.1')).status, 200);
    assert.equal((await from('192.0.2.2')).status, 200);
    const third = await from('192.0.2.3');
    assert.equal(third.status, 429);
    assert.equal(third.outcome === 'limited' && third.retryAfterS, 1800);
    h.tick(1_800_000);
    assert.equal((await from('192.0.2.3')).status, 200);
  } finally {
    await h.close();
  }
});
