import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyClf, clfClassifier, parseClfTime } from '../../../src/core/blocks/formats/clf.js';
import { classifierFor, detectFormat, type FormatSettings } from '../../../src/core/blocks/formats/build.js';
import { compileEventMap, durationValue } from '../../../src/core/blocks/formats/field-map.js';
import { parseLogfmt } from '../../../src/core/blocks/formats/logfmt.js';
import { DEFAULT_POLICY } from '../../../src/core/blocks/policy.js';
import { parseCidr, type Cidr } from '../../../src/core/net/index.js';

const rules = DEFAULT_POLICY;
const base: FormatSettings = { rules, trusted: [] };
const cidr = (t: string): Cidr => {
  const r = parseCidr(t);
  if (!r.ok) throw new Error(t);
  return r.cidr;
};

test('nginx lines: address, status and time by position; escaped quotes in the request; unrecognised counted', () => {
  const line = '203.0.113.7 - - [22/Nov/2026:03:00:01 +0100] "GET /x?q=\\"a\\" 401 \\" HTTP/1.1" 401 12 "-" "ua"';
  const c = clfClassifier('nginx', { rules, trusted: [] });
  assert.deepEqual(c.classify(line), { kind: 'failure', ip: '203.0.113.7', failure: 'auth', at: Date.UTC(2026, 10, 22, 2, 0, 1) });
  assert.equal((c.classify(line.replace('" 401 12', '" 429 12')) as { failure: string }).failure, 'ratelimit');
  assert.equal(c.classify(line.replace('" 401 12', '" 200 12')).kind, 'neutral');
  assert.equal(c.classify('2001:db8::1 - - [22/Nov/2026:03:00:01 +0000] "POST /login HTTP/1.1" 403 0').kind, 'failure');
  for (const bad of ['garbage', '1.2.3.4 - - 22/Nov "GET /"', '1.2.3.4 - - [x] "GET / HTTP/1.1" abc 1']) assert.equal(c.classify(bad).kind, 'unrecognised', bad);
  assert.equal(parseClfTime('32/Foo/2026:03:00:01 +0000'), undefined);
});

test('nginx behind a balancer: the right-most untrusted X-Forwarded-For hop; the balancer is never the client; forged hops ignored', () => {
  const trusted = [cidr('10.0.0.0/8')];
  const line = (peer: string, xff: string, ua = 'curl/8') => `${peer} - - [22/Nov/2026:03:00:01 +0000] "POST /login HTTP/1.1" 401 12 "-" "${ua}" "${xff}"`;
  const ip = (l: string) => (classifyClf(l, { rules, trusted, forwardedField: 2 }) as { ip?: string }).ip;
  assert.equal(ip(line('10.0.0.5', '198.51.100.7')), '198.51.100.7');
  // The client wrote the left-most hop itself: only what the trusted balancer appended is believed.
  assert.equal(ip(line('10.0.0.5', '1.2.3.4, 198.51.100.7, 10.0.0.9')), '198.51.100.7');
  // An untrusted peer's header is ignored whatever it says.
  assert.equal(ip(line('203.0.113.9', '198.51.100.7')), '203.0.113.9');
  // A forged address in the user agent or the path is never read as a field.
  assert.equal(ip(line('10.0.0.5', '198.51.100.8', 'x\\" \\"6.6.6.6')), '198.51.100.8');
  assert.equal(ip(`10.0.0.5 - - [22/Nov/2026:03:00:01 +0000] "POST /login?ip=\\"6.6.6.6\\" HTTP/1.1" 401 12 "-" "ua" "198.51.100.9"`), '198.51.100.9');
  // No header from the balancer: the balancer is the only address there is (nginx does the same); garbage: unrecognised.
  assert.equal(ip(line('10.0.0.5', '-')), '10.0.0.5');
  assert.equal(classifyClf(line('10.0.0.5', 'evil.example'), { rules, trusted, forwardedField: 2 }).kind, 'unrecognised');
});

test('JSON behind trusted proxies: the forwarded-for field, read right to left, only from a trusted peer', () => {
  const c = classifierFor({ format: 'json', preset: 'source-ip' }, { ...base, trusted: [cidr('10.0.0.0/8')] });
  const ip = (peer: string, xff: unknown) => (c.classify(JSON.stringify({ event: 'AUTHENTICATION_FAILED', source_ip: peer, x_forwarded_for: xff })) as { ip?: string }).ip;
  assert.equal(ip('10.0.0.2', '6.6.6.6, 198.51.100.4'), '198.51.100.4');
  assert.equal(ip('203.0.113.2', '198.51.100.4'), '203.0.113.2');
  assert.equal(ip('10.0.0.2', 42), '10.0.0.2', 'a forwarded-for of the wrong type is no header');
  assert.equal(c.classify(JSON.stringify({ event: 'AUTHENTICATION_FAILED', source_ip: '10.0.0.2', x_forwarded_for: 'garbage' })).kind, 'unrecognised');
});

test('event maps are exact or anchored, never substrings: LLM_TOKEN_ERROR and CACHE_KEY_ERROR are not failures', () => {
  const m = compileEventMap({ auth: ['AUTHENTICATION_FAILED', '/LOGIN_[A-Z]+_FAILED/'], ratelimit: ['RATE_LIMIT_EXCEEDED'], decision: ['IP_BLOCKED'] }, 'test');
  assert.equal(m.match('AUTHENTICATION_FAILED'), 'auth');
  assert.equal(m.match('LOGIN_TOTP_FAILED'), 'auth');
  assert.equal(m.match('XLOGIN_TOTP_FAILED'), undefined);
  assert.equal(m.match('AUTHENTICATION_FAILED_NOT'), undefined);
  assert.equal(m.match('IP_BLOCKED'), 'decision');
  assert.throws(() => compileEventMap({ auth: ['/(/'], ratelimit: [], decision: [] }, 'config blocks.ingest.events'), /config blocks\.ingest\.events auth event \/\(\/: not a valid pattern/);
  const c = classifierFor({ format: 'json', preset: 'source-ip' }, base);
  const ev = (event: string, extra: Record<string, unknown> = {}) => c.classify(JSON.stringify({ timestamp: '2026-12-02T01:00:00Z', level: 'WARN', event, user_id: 'u1', source_ip: '198.51.100.4', user_agent: 'Mozilla/5.0', ...extra })).kind;
  for (const e of ['LLM_TOKEN_ERROR', 'CACHE_KEY_ERROR', 'TOKEN', 'KEY_ROTATED']) assert.equal(ev(e), 'neutral', e);
  for (const e of ['AUTHENTICATION_FAILED', 'SESSION_VALIDATION_FAILED', 'ACCESS_DENIED']) assert.equal(ev(e), 'failure', e);
  // violation_type is more specific than event: SECURITY_VIOLATION / CROSS_USER_ACCESS counts; a violation that is the server's own error does not.
  assert.equal(ev('SECURITY_VIOLATION', { violation_type: 'CROSS_USER_ACCESS' }), 'failure');
  assert.equal(ev('SECURITY_VIOLATION', { violation_type: 'LLM_TOKEN_ERROR' }), 'neutral');
});

test('JSON: the address must be a string address; wrong types, missing fields and non-objects are unrecognised', () => {
  const c = classifierFor({ format: 'json', preset: 'source-ip' }, base);
  const k = (o: unknown) => c.classify(typeof o === 'string' ? o : JSON.stringify(o)).kind;
  assert.equal(k({ event: 'AUTHENTICATION_FAILED', source_ip: 3325256704 }), 'unrecognised');
  assert.equal(k({ event: 'AUTHENTICATION_FAILED', source_ip: ['198.51.100.4'] }), 'unrecognised');
  assert.equal(k({ event: 'AUTHENTICATION_FAILED', source_ip: { v: '198.51.100.4' } }), 'unrecognised');
  assert.equal(k({ event: 'AUTHENTICATION_FAILED' }), 'unrecognised');
  assert.equal(k({ hello: 'world' }), 'unrecognised');
  assert.equal(k('[1]'), 'unrecognised');
  assert.equal(k('{"event":"AUTH'), 'unrecognised');
  assert.deepEqual(c.classify(JSON.stringify({ event: 'IP_BLOCKED', source_ip: '198.51.100.4', timestamp: '2026-12-02T01:00:00Z', duration: '30m' })), {
    kind: 'decision',
    ip: '198.51.100.4',
    at: Date.UTC(2026, 11, 2, 1),
    durationMs: 30 * 60_000,
    event: 'IP_BLOCKED',
  });
  assert.deepEqual([durationValue(3600), durationValue('1h30m'), durationValue('permanent'), durationValue('soon'), durationValue(0)], [3_600_000, 5_400_000, null, undefined, undefined]);
});

test('Traefik JSON, Caddy JSON, logfmt and journald through their maps', () => {
  const traefik = classifierFor({ format: 'traefik-json' }, base);
  assert.deepEqual(traefik.classify(JSON.stringify({ ClientAddr: '203.0.113.5:51234', ClientHost: '203.0.113.5', DownstreamStatus: 401, RequestPath: '/mcp', StartUTC: '2026-12-02T01:00:00.5Z' })), { kind: 'failure', ip: '203.0.113.5', failure: 'auth', at: Date.UTC(2026, 11, 2, 1, 0, 0, 500) });
  assert.equal(traefik.classify(JSON.stringify({ ClientHost: '203.0.113.5', DownstreamStatus: 200 })).kind, 'neutral');
  const caddy = classifierFor({ format: 'caddy-json' }, base);
  assert.equal((caddy.classify(JSON.stringify({ level: 'info', ts: 1796000000.25, logger: 'http.log.access', request: { remote_ip: '10.0.0.2', client_ip: '198.51.100.3' }, status: 429 })) as { ip: string }).ip, '198.51.100.3');
  assert.deepEqual([...(parseLogfmt('time=2026-12-02T01:00:00Z level=warn event=AUTH_FAILED ip=203.0.113.5 msg="bad \\"key\\" x=1"') ?? [])], [
    ['time', '2026-12-02T01:00:00Z'],
    ['level', 'warn'],
    ['event', 'AUTH_FAILED'],
    ['ip', '203.0.113.5'],
    ['msg', 'bad "key" x=1'],
  ]);
  const kv = classifierFor({ format: 'logfmt' }, base);
  // The forged `ip=` inside the quoted message is part of msg, not a field.
  assert.deepEqual(kv.classify('2026-12-02T01:00:00Z WARN [security] event=AUTH_FAILED ip=203.0.113.5 msg="from ip=6.6.6.6"'), { kind: 'failure', ip: '203.0.113.5', failure: 'auth', at: Date.UTC(2026, 11, 2, 1) });
  assert.equal(kv.classify('event=AUTH_FAILED ip=203.0.113.5 msg="unterminated').kind, 'unrecognised');
  const j = classifierFor({ format: 'journald', inner: { format: 'logfmt' } }, base);
  assert.deepEqual(j.classify(JSON.stringify({ __REALTIME_TIMESTAMP: '1796000000000000', _SYSTEMD_UNIT: 'mcp.service', MESSAGE: 'event=AUTH_FAILED ip=203.0.113.5' })), { kind: 'failure', ip: '203.0.113.5', failure: 'auth', at: 1796000000000 });
  assert.equal(j.classify(JSON.stringify({ __REALTIME_TIMESTAMP: '1', MESSAGE: [101, 255] })).kind, 'unrecognised');
});

test('detection: one format fitting most lines is chosen; ambiguous or unknown logs are refused with what was seen', () => {
  const nginx = Array.from({ length: 10 }, (_, i) => `203.0.113.${i} - - [22/Nov/2026:03:00:01 +0000] "GET / HTTP/1.1" 200 1 "-" "ua"`);
  assert.deepEqual(detectFormat(nginx, base), { ok: true, choice: { format: 'nginx' }, note: 'nginx, 10 of 10 sampled lines' });
  const tclf = nginx.map((l) => `${l} 17 "api@docker" "http://172.18.0.3:8080" 3ms`);
  assert.equal(detectFormat(tclf, base).ok && (detectFormat(tclf, base) as { choice: { format: string } }).choice.format, 'traefik-clf');
  const src = Array.from({ length: 4 }, () => JSON.stringify({ event: 'AUTHENTICATION_FAILED', source_ip: '198.51.100.4' }));
  assert.deepEqual((detectFormat(src, base) as { choice: unknown }).choice, { format: 'json', preset: 'source-ip' });
  const both = Array.from({ length: 4 }, () => JSON.stringify({ event: 'x', source_ip: '198.51.100.4', remote_addr: '10.0.0.1', status: 200 }));
  const amb = detectFormat(both, base);
  assert.equal(amb.ok, false);
  assert.match((amb as { message: string }).message, /several formats fit: json:source-ip 4, json:remote-addr 4\): give --format \(and --preset for JSON\)/);
  assert.equal((detectFormat(both, { ...base, preset: 'remote-addr' }) as { ok: boolean }).ok, true);
  const garbage = detectFormat(['\u0000\u0001binary', 'x\ufffd\ufffd', 'hello'], base);
  assert.match((garbage as { message: string }).message, /no format fits most of them: nothing known/);
  const journal = detectFormat([JSON.stringify({ __REALTIME_TIMESTAMP: '1796000000000000', MESSAGE: JSON.stringify({ clientIp: '198.51.100.1', type: 'auth_failure' }) })], base);
  assert.deepEqual((journal as { choice: unknown }).choice, { format: 'journald', inner: { format: 'json', preset: 'client-ip' } });
});
