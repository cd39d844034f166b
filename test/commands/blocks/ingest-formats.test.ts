/**
 * `blocks ingest` on the logs agent servers really write, each written for the test in the style of its system, with
 * the exact set of addresses that must end up blocked (default policy: 5 failures within 10 minutes).
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { IngestStats } from '../../../src/services/blocks/ingest.js';
import { nginxTime } from '../../support/access-log.js';
import { T0, at, cli, initHome, json } from './helpers.js';

type Stats = IngestStats & { formats: Record<string, { read: number; failures: number; neutral: number; unrecognised: number; overlong: number }>; blocks: Array<{ value: string; source: string; reason: string; expiresAt: string | null; createdAt: string }> };

let home: string;
let cleanup: () => void;
before(async () => ({ home, cleanup } = await initHome()));
after(() => cleanup());

const iso = (ms: number) => new Date(T0.getTime() + ms).toISOString();
const now = at(5 * 60_000);

async function fresh<T>(fn: (h: string) => Promise<T>, config?: string): Promise<T> {
  const { home: h, cleanup: done } = await initHome();
  if (config !== undefined) writeFileSync(join(h, 'config.yaml'), config, { mode: 0o600 });
  try {
    return await fn(h);
  } finally {
    done();
  }
}

async function ingest(h: string, name: string, lines: readonly string[], args: string[] = []): Promise<{ code: number; doc: Stats; stderr: string }> {
  const file = join(h, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return json<Stats>(h, ['blocks', 'ingest', file, ...args], now);
}

const blocked = (doc: Stats) => doc.blocks.map((b) => b.value).sort();

test('Traefik JSON access logs: ClientHost with DownstreamStatus 401/403 and 429 count; the rest is neutral', () =>
  fresh(async (h) => {
    const entry = (host: string, status: number, i: number, path = '/mcp/v1/tools') =>
      JSON.stringify({ ClientAddr: `${host}:${40000 + i}`, ClientHost: host, ClientPort: String(40000 + i), DownstreamContentSize: 17, DownstreamStatus: status, Duration: 1843211, OriginStatus: status, RequestHost: 'mcp.example.com', RequestMethod: 'POST', RequestPath: path, RequestProtocol: 'HTTP/2.0', RouterName: 'mcp@docker', ServiceName: 'mcp-gateway@docker', StartUTC: iso(i * 1000), entryPointName: 'websecure', level: 'info', msg: '', time: iso(i * 1000) });
    const lines = [
      ...Array.from({ length: 6 }, (_, i) => entry('203.0.113.21', 401, i)),
      ...Array.from({ length: 3 }, (_, i) => entry('203.0.113.22', 403, i)),
      ...Array.from({ length: 5 }, (_, i) => entry('2001:db8:7::9', 429, i)),
      ...Array.from({ length: 20 }, (_, i) => entry(`198.51.100.${i}`, 200, i)),
      // A forged address in the request path is never the client.
      ...Array.from({ length: 5 }, (_, i) => entry('198.51.100.50', 401, i, '/login?ip=203.0.113.99')).slice(0, 4),
    ];
    const r = await ingest(h, 'access.json', lines);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual([r.doc.format, r.doc.formatDetail], ['traefik-json', 'traefik']);
    assert.deepEqual(r.doc.formats['traefik-json'], { read: 38, failures: 18, neutral: 20, unrecognised: 0, overlong: 0 });
    assert.deepEqual(blocked(r.doc), ['2001:db8:7::9', '203.0.113.21']);
  }));

test('key=value security logs (the MCP gateway): failures count, IP_BLOCKED decisions are imported with their duration', () =>
  fresh(async (h) => {
    const kv = (ms: number, rest: string) => `${iso(ms)} WARN [security] ${rest}`;
    const lines = [
      kv(0, 'event=CONNECTION_OPENED client_ip=192.0.2.10 transport=ws port=3002'),
      ...Array.from({ length: 5 }, (_, i) => kv(i * 1000, `event=AUTH_FAILED client_ip=203.0.113.31 reason="invalid WS_AUTH_TOKEN" port=3002`)),
      ...Array.from({ length: 4 }, (_, i) => kv(i * 1000, `event=AUTH_FAILED client_ip=203.0.113.32 reason="invalid TCP_AUTH_TOKEN" port=9500`)),
      kv(6000, 'event=IP_BLOCKED client_ip=203.0.113.33 duration=900 reason="rate limit exceeded 10 times"'),
      kv(6000, 'event=RATE_LIMIT_EXCEEDED client_ip=192.0.2.11 limit=100/min'),
      kv(7000, 'event=TOKEN_REFRESHED client_ip=192.0.2.12'),
      'mcp-security-audit: rotated log at 2026-11-22T03:00:00Z',
    ];
    const r = await ingest(h, 'security.log', lines);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual([r.doc.format, r.doc.matched, r.doc.neutral, r.doc.unrecognised, r.doc.imported], ['logfmt', 11, 2, 1, 1]);
    assert.deepEqual(blocked(r.doc), ['203.0.113.31', '203.0.113.33']);
    const decision = r.doc.blocks.find((b) => b.value === '203.0.113.33');
    assert.deepEqual([decision?.source, decision?.createdAt, decision?.expiresAt], ['import:security.log', iso(6000), iso(6000 + 900_000)]);
    assert.match(decision?.reason ?? '', /^IP_BLOCKED decided by the app/);
  }));

test('the inference platform JSON security log: LLM_TOKEN_ERROR and CACHE_KEY_ERROR never block; auth, session and access failures do', () =>
  fresh(async (h) => {
    const ev = (ms: number, event: string, ip: string, extra: Record<string, unknown> = {}) =>
      JSON.stringify({ timestamp: iso(ms), level: 'WARN', event, user_id: 'user-123', session_id: 'session-456', source_ip: ip, user_agent: 'Mozilla/5.0 (X11; Linux x86_64)', ...extra });
    const lines = [
      // Server-side faults, many of them, from busy innocent clients.
      ...Array.from({ length: 12 }, (_, i) => ev(i * 500, 'LLM_TOKEN_ERROR', '192.0.2.41', { details: 'upstream token budget exhausted' })),
      ...Array.from({ length: 12 }, (_, i) => ev(i * 500, 'CACHE_KEY_ERROR', '192.0.2.42', { details: 'redis key evicted' })),
      ...Array.from({ length: 5 }, (_, i) => ev(i * 1000, 'AUTHENTICATION_FAILED', '203.0.113.41')),
      ...Array.from({ length: 5 }, (_, i) => ev(i * 1000, 'SESSION_VALIDATION_FAILED', '203.0.113.42')),
      ...Array.from({ length: 3 }, (_, i) => ev(i * 1000, 'ACCESS_DENIED', '203.0.113.43')),
      ...Array.from({ length: 2 }, (_, i) => ev(3000 + i * 1000, 'SECURITY_VIOLATION', '203.0.113.43', { violation_type: 'CROSS_USER_ACCESS' })),
      // A forged address in the user agent, and a client that put its address in the wrong JSON type.
      ...Array.from({ length: 5 }, (_, i) => ev(i * 1000, 'AUTHENTICATION_FAILED', '192.0.2.44', { user_agent: 'curl "source_ip":"203.0.113.99"' })).slice(0, 4),
      ...Array.from({ length: 5 }, (_, i) => JSON.stringify({ timestamp: iso(i), event: 'AUTHENTICATION_FAILED', source_ip: 3405803877 })),
    ];
    const r = await ingest(h, 'security.json', lines);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual([r.doc.format, r.doc.formatDetail], ['json', 'source-ip']);
    assert.deepEqual(r.doc.formats['json'], { read: 48, failures: 19, neutral: 24, unrecognised: 5, overlong: 0 });
    assert.deepEqual(blocked(r.doc), ['203.0.113.41', '203.0.113.42', '203.0.113.43']);
    for (const innocent of ['192.0.2.41', '192.0.2.42', '192.0.2.44', '203.0.113.99']) assert.equal((await cli(h, ['blocks', 'check', innocent], { now })).code, 0, innocent);
  }));

test("an app's own IP_BLOCKED decisions become blocks with their duration and source; ended, allowlisted and longer ones are left", () =>
  fresh(async (h) => {
    const d = (ms: number, ip: string, extra: Record<string, unknown>) => JSON.stringify({ timestamp: iso(ms), level: 'warn', type: 'IP_BLOCKED', clientIp: ip, msg: 'blocked after repeated failures', ...extra });
    const lines = [
      d(0, '203.0.113.51', { blockDuration: 1800 }),
      d(0, '203.0.113.52', { blockDuration: '2h' }),
      d(0, '203.0.113.53', { blockDuration: 'permanent' }),
      d(-3_600_000, '203.0.113.54', { blockDuration: 600 }), // ended an hour ago
      d(0, '127.0.0.1', { blockDuration: 600 }),
      d(0, '203.0.113.55', {}),
      JSON.stringify({ timestamp: iso(0), type: 'request', clientIp: '192.0.2.5', statusCode: 200 }),
    ];
    const r = await ingest(h, 'app.log', lines);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual([r.doc.formatDetail, r.doc.imported, r.doc.expiredDecisions, r.doc.allowlisted, r.doc.neutral], ['client-ip', 4, 1, 1, 1]);
    const by = new Map(r.doc.blocks.map((b) => [b.value, b]));
    assert.deepEqual([...by.keys()].sort(), ['203.0.113.51', '203.0.113.52', '203.0.113.53', '203.0.113.55']);
    assert.equal(by.get('203.0.113.51')?.expiresAt, iso(1_800_000));
    assert.equal(by.get('203.0.113.52')?.expiresAt, iso(7_200_000));
    // A log line is not trusted with a permanent block: capped at maxDuration (7d); no duration: blockDuration (1h).
    assert.equal(by.get('203.0.113.53')?.expiresAt, iso(7 * 86_400_000));
    assert.equal(by.get('203.0.113.55')?.expiresAt, iso(3_600_000));
    for (const b of by.values()) assert.equal(b.source, 'import:app.log');
    // Read again from the top (a new file): the blocks in force already last as long, nothing is imported twice.
    const again = await ingest(h, 'app2.log', lines);
    assert.deepEqual([again.doc.imported, again.doc.alreadyBlocked], [0, 4]);
  }));

test('nginx behind a load balancer: the client comes from X-Forwarded-For past trusted proxies; the balancer is never blocked', () =>
  fresh(
    async (h) => {
      const main = (peer: string, xff: string, status: number, i: number, ua = 'python-requests/2.31') => `${peer} - - [${nginxTime(T0.getTime() + i * 1000)}] "POST /v1/agents/run HTTP/1.1" ${status} 57 "-" "${ua}" "${xff}"`;
      const lines = [
        ...Array.from({ length: 5 }, (_, i) => main('10.0.0.2', '203.0.113.61', 401, i)),
        // The client sends its own X-Forwarded-For: only what the balancer appended is believed.
        ...Array.from({ length: 5 }, (_, i) => main('10.0.0.2', `192.0.2.${i}, 203.0.113.62`, 401, i)),
        // Two trusted hops (the balancer, then an internal proxy).
        ...Array.from({ length: 5 }, (_, i) => main('10.0.0.3', '203.0.113.63, 10.0.5.5', 429, i)),
        // A forged address in the user agent.
        ...Array.from({ length: 5 }, (_, i) => main('10.0.0.2', '198.51.100.64', 200, i, 'x\\" \\"203.0.113.99')),
        // The balancer's own health checks failing: it is the only address on the line, and it is trusted.
        ...Array.from({ length: 5 }, (_, i) => main('10.0.0.2', '-', 401, i)),
        // Not from the balancer: its header is ignored.
        ...Array.from({ length: 5 }, (_, i) => main('198.51.100.65', '203.0.113.66', 401, i)),
      ];
      const r = await ingest(h, 'access.log', lines);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(blocked(r.doc), ['198.51.100.65', '203.0.113.61', '203.0.113.62', '203.0.113.63']);
    },
    'blocks:\n  allowlist: [127.0.0.0/8, 10.0.0.0/8]\n  trustedProxies: [10.0.0.0/8]\n',
  ));

test('journald (journalctl -o json) of an app logging JSON; Caddy JSON access logs', () =>
  fresh(async (h) => {
    const j = (ms: number, message: string) => JSON.stringify({ __CURSOR: 's=1;i=2', __REALTIME_TIMESTAMP: String((T0.getTime() + ms) * 1000), _SYSTEMD_UNIT: 'agent-api.service', SYSLOG_IDENTIFIER: 'node', PRIORITY: '4', MESSAGE: message });
    const lines = [
      ...Array.from({ length: 5 }, (_, i) => j(i * 1000, JSON.stringify({ type: 'auth_failure', clientIp: '203.0.113.71', route: '/api/v1/chat' }))),
      j(6000, JSON.stringify({ type: 'request', clientIp: '203.0.113.72', statusCode: 200 })),
    ];
    const r = await ingest(h, 'journal.json', lines);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual([r.doc.format, r.doc.formatDetail, r.doc.failures, r.doc.neutral], ['journald', 'json:client-ip', 5, 1]);
    assert.deepEqual(blocked(r.doc), ['203.0.113.71']);
    // Given as journald, the messages' format is still found from them.
    const given = await ingest(h, 'journal2.json', lines, ['--format', 'journald']);
    assert.deepEqual([given.code, given.doc.formatDetail, given.doc.failures], [0, 'json:client-ip', 5]);
    const caddy = (ms: number, ip: string, status: number) =>
      JSON.stringify({ level: 'info', ts: (T0.getTime() + ms) / 1000, logger: 'http.log.access.log0', msg: 'handled request', request: { remote_ip: ip, remote_port: '51234', client_ip: ip, proto: 'HTTP/2.0', method: 'POST', host: 'agents.example.com', uri: '/v1/run', headers: { 'User-Agent': ['curl/8.5'] } }, bytes_read: 0, user_id: '', duration: 0.001, size: 12, status });
    const c = await ingest(h, 'caddy.json', [...Array.from({ length: 5 }, (_, i) => caddy(i * 1000, '203.0.113.73', 401)), caddy(0, '203.0.113.74', 200)]);
    assert.deepEqual([c.doc.format, c.doc.failures], ['caddy-json', 5]);
    assert.deepEqual(blocked(c.doc), ['203.0.113.73']);
  }));

test('explicit maps from flags and config: fields, exact and /anchored/ events; a bad pattern is a one-line usage error', () =>
  fresh(
    async (h) => {
      const lines = Array.from({ length: 5 }, (_, i) => JSON.stringify({ when: iso(i * 1000), peer: { addr: '203.0.113.81' }, what: `login.${['totp', 'password', 'totp', 'key', 'totp'][i]}.rejected` }));
      const r = await ingest(h, 'custom.json', [...lines, JSON.stringify({ when: iso(0), peer: { addr: '203.0.113.82' }, what: 'relogin.totp.rejected.not' })], ['--format', 'json']);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual([r.doc.failures, r.doc.neutral], [5, 1]);
      assert.deepEqual(blocked(r.doc), ['203.0.113.81']);
      const flags = await ingest(h, 'flags.json', [JSON.stringify({ t: iso(0), addr: '203.0.113.83', ev: 'nope' })], ['--format', 'json', '--ip-field', 'addr', '--event-field', 'ev', '--time-field', 't', '--auth-event', 'nope']);
      assert.deepEqual([flags.doc.failures], [1]);
      const bad = await cli(h, ['blocks', 'ingest', join(h, 'flags.json'), '--format', 'json', '--auth-event', '/(/'], { now });
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /^agentsec: blocks\.ingest\.events auth event \/\(\/: not a valid pattern .*\n$/);
    },
    "blocks:\n  ingest:\n    fields:\n      ip: peer.addr\n      time: when\n      event: what\n    events:\n      auth: ['/login\\.[a-z]+\\.rejected/']\n",
  ));

test('bad trusted proxies and bad blocks.ingest config are one-line configuration errors', async () => {
  const log = join(home, 'one.log');
  writeFileSync(log, `203.0.113.1 - - [${nginxTime(T0.getTime())}] "GET / HTTP/1.1" 200 1 "-" "ua"\n`);
  const flag = await cli(home, ['blocks', 'ingest', log, '--trusted-proxy', '10.0.0.0/33'], { now });
  assert.equal(flag.code, 2);
  assert.match(flag.stderr, /^agentsec: --trusted-proxy: '10\.0\.0\.0\/33' is not an IP address or CIDR\n$/);
  for (const [config, re] of [
    ['blocks:\n  trustedProxies: [balancer.internal]\n', /config blocks\.trustedProxies: 'balancer\.internal' is not an IP address or CIDR/],
    ['blocks:\n  ingest:\n    preset: nginx-ish\n', /blocks\.ingest\.preset/],
    ['blocks:\n  ingest:\n    fields:\n      client: ip\n', /blocks\.ingest\.fields/],
  ] as const) {
    const r = await fresh(async (h) => {
      writeFileSync(join(h, 'one.log'), `203.0.113.1 - - [${nginxTime(T0.getTime())}] "GET / HTTP/1.1" 200 1 "-" "ua"\n`);
      return cli(h, ['blocks', 'ingest', join(h, 'one.log')], { now });
    }, config);
    assert.equal(r.code, 2, config);
    assert.match(r.stderr, re);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
});

test('bad input: binary and ambiguous logs are refused with what was seen; a forced format on garbage warns; non-UTF-8 is read', () =>
  fresh(async (h) => {
    const bin = join(h, 'core.bin');
    writeFileSync(bin, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
    const auto = await cli(h, ['blocks', 'ingest', bin], { now });
    assert.equal(auto.code, 2);
    assert.match(auto.stderr, /^agentsec: core\.bin: cannot tell the log format from the first \d+ lines \(no format fits most of them: .*\): give --format \(and --preset for JSON\)\n$/);
    const forced = await cli(h, ['blocks', 'ingest', bin, '--format', 'nginx'], { now });
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stderr, /^nginx: \d+ read, 0 matched, 0 neutral, \d+ unrecognised, 0 overlong\n/);
    assert.match(forced.stderr, /\nwarning: \d+ of \d+ lines were not recognised as nginx: check --format, --preset or the field map/);
    const both = Array.from({ length: 4 }, () => JSON.stringify({ event: 'AUTHENTICATION_FAILED', source_ip: '203.0.113.91', remote_addr: '10.0.0.1', status: 401 }));
    const amb = await ingest(h, 'both.json', both);
    assert.equal(amb.code, 2);
    assert.match(amb.stderr, /several formats fit: json:source-ip 4, json:remote-addr 4/);
    assert.deepEqual(blocked((await ingest(h, 'both2.json', both, ['--preset', 'remote-addr'])).doc), []);
    // Latin-1 bytes in a user agent (not UTF-8): the line is still read by position.
    const latin = Buffer.concat(Array.from({ length: 5 }, (_, i) => Buffer.concat([Buffer.from(`203.0.113.92 - - [${nginxTime(T0.getTime() + i)}] "POST /login HTTP/1.1" 401 0 "-" "Mozilla `), Buffer.from([0xe9, 0xff, 0xfe]), Buffer.from('"\n')])));
    writeFileSync(join(h, 'latin1.log'), latin);
    const l = await json<Stats>(h, ['blocks', 'ingest', join(h, 'latin1.log')], now);
    assert.deepEqual(blocked(l.doc), ['203.0.113.92']);
    const filter = join(h, 'broken.conf');
    writeFileSync(filter, '[Definition]\nfailregex = ^login failed from <HOST>\n            ^(?P<user>\\w+ (?P=nope) <HOST>\n');
    const f = await cli(h, ['blocks', 'ingest', bin, '--filter', filter], { now });
    assert.equal(f.code, 2);
    assert.match(f.stderr, /^agentsec: .*broken\.conf:3: failregex: .*\n$/);
  }));
