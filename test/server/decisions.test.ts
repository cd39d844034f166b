/**
 * The decision API through HTTP on a real store, with a clock the test moves: CrowdSec 1.4's JSON, the lookup, the
 * per-bouncer stream and its deltas, and hostile requests.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseBlockTarget } from '../../src/core/blocks/target.js';
import { decisionsEndpoint } from '../../src/server/decisions/endpoint.js';
import { addBlock, blocksOn, removeBlock } from '../../src/services/blocks.js';
import { runCli, tempDir } from '../support/cli.js';
import { startEndpoints, type TestServer } from '../support/endpoint-server.js';

interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

function get(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

interface Fixture {
  readonly server: TestServer;
  readonly key: string;
  readonly otherKey: string;
  readonly clock: { now: number };
  block(value: string, forMs: number | null): Promise<void>;
  unblock(value: string): Promise<void>;
  stream(startup: boolean, key?: string): Promise<{ deleted: Array<Record<string, unknown>> | null; new: Array<Record<string, unknown>> | null }>;
  cleanup(): Promise<void>;
}

const T0 = Date.parse('2026-12-02T00:00:00Z');

async function fixture(): Promise<Fixture> {
  const tmp = tempDir('agentsec-decisions-');
  const home = join(tmp.dir, 'home');
  assert.equal(runCli(['--home', home, 'init']).code, 0);
  const keyOf = (name: string) => (JSON.parse(runCli(['--home', home, 'serve', 'bouncer', 'add', name, '--json']).stdout) as { key: string }).key;
  const key = keyOf('one');
  const otherKey = keyOf('two');
  const clock = { now: T0 };
  const server = await startEndpoints({ home, clock: () => new Date(clock.now), endpoints: [decisionsEndpoint] });
  const deps = await blocksOn(server.rt, server.store);
  const target = (v: string) => {
    const t = parseBlockTarget(v);
    if (!t.ok) throw new Error(v);
    return t.target;
  };
  return {
    server,
    key,
    otherKey,
    clock,
    block: async (value, forMs) => void (await addBlock(deps, target(value), { expiresAt: forMs === null ? null : clock.now + forMs, reason: null, source: 'manual', now: clock.now })),
    unblock: async (value) => void (await removeBlock(deps, target(value), { now: clock.now, source: 'manual' })),
    async stream(startup, k = key) {
      const r = await get(`${server.url}/v1/decisions/stream?startup=${startup}`, { 'x-api-key': k });
      assert.equal(r.status, 200, r.body);
      return JSON.parse(r.body) as { deleted: Array<Record<string, unknown>> | null; new: Array<Record<string, unknown>> | null };
    },
    async cleanup() {
      await server.close();
      tmp.cleanup();
    },
  };
}

const values = (list: Array<Record<string, unknown>> | null) => (list === null ? null : list.map((d) => d.value).sort());

test('decisions: a missing, malformed, unknown or deleted key gets 403 {"message":"access forbidden"}', async () => {
  const f = await fixture();
  try {
    const url = `${f.server.url}/v1/decisions/stream?startup=true`;
    for (const headers of [{}, { 'x-api-key': '' }, { 'x-api-key': 'x'.repeat(5000) }, { 'x-api-key': f.key.slice(0, -1) + (f.key.endsWith('A') ? 'B' : 'A') }, { 'x-api-key': 'agsbouncer_' + 'A'.repeat(43) + '_AAAAAA' }, { 'x-api-key': Buffer.from('ключ', 'utf8').toString('latin1') }, { authorization: `Bearer ${f.key}` }]) {
      const r = await get(url, headers);
      assert.equal(r.status, 403, JSON.stringify(headers).slice(0, 80));
      assert.equal(r.body, '{"message":"access forbidden"}');
      assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
    }
    const ok = await get(url, { 'x-api-key': f.key, 'accept-encoding': 'gzip' });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers['content-encoding'], undefined, 'answered uncompressed, as CrowdSec does');
    assert.equal(ok.body, '{"deleted":null,"new":null}');
    assert.equal((await get(url, { 'x-api-key': f.key }, 'POST')).status, 405);
    assert.equal(runCli(['--home', f.server.rt.paths.home, 'serve', 'bouncer', 'delete', 'one', '--yes']).code, 0);
    assert.equal((await get(url, { 'x-api-key': f.key })).status, 403, 'a deleted bouncer is refused at once');
    assert.equal((await get(url, { 'x-api-key': f.otherKey })).status, 200);
    assert.ok(!f.server.observed().includes(f.key.slice(11, 40)));
  } finally {
    await f.cleanup();
  }
});

test('decisions: startup gives the full set in CrowdSec JSON; later pulls the delta per bouncer; ends come as deleted, negative', async () => {
  const f = await fixture();
  try {
    await f.block('203.0.113.7', 3_600_000);
    await f.block('198.51.100.0/24', null);
    const first = await f.stream(true);
    assert.equal(first.deleted, null);
    assert.deepEqual(values(first.new), ['198.51.100.0/24', '203.0.113.7']);
    const ip = first.new?.find((d) => d.value === '203.0.113.7');
    assert.deepEqual(Object.keys(ip ?? {}).sort(), ['duration', 'id', 'origin', 'scenario', 'scope', 'type', 'value']);
    assert.equal(ip?.duration, '1h0m0s');
    assert.equal(ip?.scope, 'Ip');
    assert.equal(ip?.type, 'ban');
    assert.equal(typeof ip?.id, 'number');
    assert.equal(first.new?.find((d) => d.value === '198.51.100.0/24')?.scope, 'Range');

    f.clock.now += 10_000;
    assert.deepEqual(await f.stream(false), { deleted: null, new: null }, 'nothing changed since the last pull');
    // The other bouncer has its own state: its first pull, even without startup, is the full set.
    assert.deepEqual(values((await f.stream(false, f.otherKey)).new), ['198.51.100.0/24', '203.0.113.7']);

    await f.block('192.0.2.1', 5000);
    await f.unblock('203.0.113.7');
    f.clock.now += 1000;
    const d1 = await f.stream(false);
    assert.deepEqual(values(d1.new), ['192.0.2.1']);
    assert.deepEqual(values(d1.deleted), ['203.0.113.7']);
    assert.equal(d1.deleted?.[0]?.id, ip?.id, 'the deleted decision has the id the bouncer got');
    assert.equal(d1.deleted?.[0]?.duration, '-1s');

    f.clock.now += 10_000; // 192.0.2.1 expires in between
    const d2 = await f.stream(false);
    assert.equal(d2.new, null);
    assert.deepEqual(values(d2.deleted), ['192.0.2.1']);
    assert.match(String(d2.deleted?.[0]?.duration), /^-\d/);

    // Re-blocking a lifted value: a new decision, and the old one is not deleted after it.
    await f.block('203.0.113.7', 60_000);
    f.clock.now += 1000;
    const d3 = await f.stream(false);
    assert.deepEqual(values(d3.new), ['203.0.113.7']);
    assert.notEqual(d3.new?.[0]?.id, ip?.id);
    assert.equal(d3.deleted, null);

    // Startup again: the full set, and the decisions that ended recently as deleted.
    const again = await f.stream(true);
    assert.deepEqual(values(again.new), ['198.51.100.0/24', '203.0.113.7']);
    assert.deepEqual(values(again.deleted), ['192.0.2.1']);
  } finally {
    await f.cleanup();
  }
});

test('decisions: a block lifted and made again between two pulls ends as a new decision, never a delete of the value', async () => {
  const f = await fixture();
  try {
    await f.block('203.0.113.9', 60_000);
    await f.stream(true);
    await f.unblock('203.0.113.9');
    await f.block('203.0.113.9', 120_000);
    f.clock.now += 1000;
    const d = await f.stream(false);
    assert.deepEqual(values(d.new), ['203.0.113.9']);
    assert.equal(d.deleted, null);
  } finally {
    await f.cleanup();
  }
});

test('decisions: the pull state is in the store, so another node of the fleet answers the next poll with the delta', async () => {
  const f = await fixture();
  try {
    await f.block('203.0.113.20', 60_000);
    assert.deepEqual(values((await f.stream(true)).new), ['203.0.113.20']);
    await f.block('203.0.113.21', 60_000);
    f.clock.now += 1000;
    const other = await startEndpoints({ home: f.server.rt.paths.home, clock: () => new Date(f.clock.now), endpoints: [decisionsEndpoint] });
    try {
      const r = await get(`${other.url}/v1/decisions/stream?startup=false`, { 'x-api-key': f.key });
      const body = JSON.parse(r.body) as { deleted: unknown; new: Array<Record<string, unknown>> | null };
      assert.equal(body.deleted, null);
      assert.deepEqual(values(body.new), ['203.0.113.21'], 'only what came after the pull the first node answered');
    } finally {
      await other.close();
    }
    f.clock.now += 1000;
    assert.deepEqual(await f.stream(false), { deleted: null, new: null }, 'the first node sees the pull the other answered');
  } finally {
    await f.cleanup();
  }
});

test('decisions: ?ip= gives every decision holding the address (its own and covering ranges) or null; filters as CrowdSec', async () => {
  const f = await fixture();
  try {
    await f.block('10.1.2.3', 60_000);
    await f.block('10.1.2.0/24', 60_000);
    await f.block('10.0.0.0/8', null);
    await f.block('2001:db8::/32', 60_000);
    const q = async (query: string) => {
      const r = await get(`${f.server.url}/v1/decisions?${query}`, { 'x-api-key': f.key });
      return { status: r.status, body: JSON.parse(r.body) as Array<Record<string, unknown>> | null | { message: string } };
    };
    const hit = await q('ip=10.1.2.3');
    assert.equal(hit.status, 200);
    assert.deepEqual((hit.body as Array<Record<string, unknown>>).map((d) => d.value), ['10.1.2.3', '10.1.2.0/24', '10.0.0.0/8']);
    assert.deepEqual((await q('ip=192.0.2.1')).body, null);
    assert.deepEqual(((await q('ip=2001:db8::1')).body as Array<Record<string, unknown>>).map((d) => d.value), ['2001:db8::/32']);
    assert.deepEqual(((await q('ip=::ffff:10.1.2.3')).body as Array<Record<string, unknown>>).length, 3, 'an IPv4-mapped address is the IPv4 one');
    assert.deepEqual(((await q('ip=10.1.2.3&scope=range')).body as Array<Record<string, unknown>>).map((d) => d.value), ['10.1.2.0/24', '10.0.0.0/8']);
    assert.deepEqual(((await q('ip=10.1.2.3&scope=Ip')).body as Array<Record<string, unknown>>).map((d) => d.value), ['10.1.2.3']);
    assert.deepEqual((await q('ip=10.1.2.3&type=captcha')).body, null);
    assert.deepEqual(((await q('range=10.1.2.0/25')).body as Array<Record<string, unknown>>).map((d) => d.value), ['10.1.2.0/24', '10.0.0.0/8']);
    assert.deepEqual(((await q('range=10.0.0.0/8&contains=false')).body as Array<Record<string, unknown>>).map((d) => d.value).sort(), ['10.0.0.0/8', '10.1.2.0/24', '10.1.2.3']);
    assert.deepEqual(((await q('value=10.1.2.0/24')).body as Array<Record<string, unknown>>).map((d) => d.value), ['10.1.2.0/24']);
    for (const bad of ['ip=10.1.2', 'ip=not-an-ip', 'range=10.0.0.0/33', `ip=${'9'.repeat(10_000)}`, 'ip=%00', 'ip=10.1.2.3%2F24']) {
      const r = await q(bad);
      assert.equal(r.status, 400, bad.slice(0, 40));
      assert.equal(typeof (r.body as { message: string }).message, 'string');
      assert.ok((r.body as { message: string }).message.length < 200);
    }
    const head = await get(`${f.server.url}/v1/decisions?ip=10.1.2.3`, { 'x-api-key': f.key }, 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.body, '');
  } finally {
    await f.cleanup();
  }
});
