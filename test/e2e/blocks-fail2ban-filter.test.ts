/**
 * fail2ban filters side by side with the real fail2ban-regex: on the same log and the same filter, `blocks ingest
 * --filter` must block exactly the addresses fail2ban-regex matches at least maxFailures times (5), for the stock
 * nginx-http-auth and nginx-limit-req filters and for a filter written for a JSON security log.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { seeded } from '../support/access-log.js';
import { runCli, tempDir } from '../support/cli.js';

const F2B = ['/usr/bin/fail2ban-regex', '/usr/local/bin/fail2ban-regex'].find((p) => existsSync(p));
const STOCK = '/etc/fail2ban/filter.d';
const note = !F2B ? 'fail2ban-regex is not installed (Debian fail2ban): no side-by-side check' : !existsSync(`${STOCK}/nginx-http-auth.conf`) ? 'the stock fail2ban filters are not installed' : undefined;

const tmp = tempDir('agentsec-f2b-');
after(() => tmp.cleanup());
let n = 0;
before(() => mkdirSync(join(tmp.dir, 'filter.d'), { recursive: true }));

/** Addresses fail2ban-regex matches at least `min` times (one per matched line with `-o ip`). */
function fail2banOffenders(log: string, filter: string, min = 5): Set<string> {
  // --usedns no: the test network has no DNS, and <HOST> must never be resolved anyway.
  const r = spawnSync(F2B as string, ['--usedns', 'no', '-o', 'ip', log, filter], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  const counts = new Map<string, number>();
  for (const ip of r.stdout.split('\n').map((l) => l.trim()).filter((l) => l !== '')) counts.set(ip, (counts.get(ip) ?? 0) + 1);
  return new Set([...counts].filter(([, c]) => c >= min).map(([ip]) => ip));
}

function agentsecBlocked(log: string, args: string[]): { blocked: Set<string>; doc: Record<string, unknown> } {
  const home = join(tmp.dir, `h${n++}`);
  assert.equal(runCli(['--home', home, 'init', '--quiet']).code, 0);
  const r = runCli(['--home', home, '--json', 'blocks', 'ingest', log, ...args], { timeout: 120_000 });
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as { blocks: Array<{ value: string }> };
  return { blocked: new Set(doc.blocks.map((b) => b.value)), doc };
}

const p2 = (x: number) => String(x).padStart(2, '0');
/** nginx's error-log time: local time, as fail2ban reads it. */
const errTime = (ms: number) => {
  const d = new Date(ms);
  return `${d.getFullYear()}/${p2(d.getMonth() + 1)}/${p2(d.getDate())} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}`;
};

/** An nginx error log of the last few minutes: auth failures, rate-limit rejections and noise, in a seeded order. */
function nginxErrorLog(): string {
  const rand = seeded(17);
  const start = Date.now() - 4 * 60_000;
  const lines: string[] = [];
  const auth = (ip: string, i: number) =>
    i % 2
      ? `[error] 812#812: *${i} user "admin" was not found in "/etc/nginx/.htpasswd", client: ${ip}, server: mcp.example.com, request: "GET /admin/ HTTP/1.1", host: "mcp.example.com"`
      : `[error] 812#812: *${i} user "ops": password mismatch, client: ${ip}, server: mcp.example.com, request: "POST /api/login HTTP/1.1", host: "mcp.example.com", referrer: "https://mcp.example.com/"`;
  const limit = (ip: string, i: number) => `[error] 812#812: *${i} limiting requests, excess: 5.${i % 10}00 by zone "agents", client: ${ip}, server: mcp.example.com, request: "POST /v1/agents/run HTTP/1.1", host: "mcp.example.com"`;
  const events: Array<(i: number) => string> = [];
  const add = (count: number, f: (i: number) => string) => {
    for (let i = 0; i < count; i++) events.push(f);
  };
  add(7, (i) => auth('203.0.113.10', i));
  add(5, (i) => auth('2001:db8:1::10', i));
  add(4, (i) => auth('203.0.113.11', i)); // one short of the limit
  add(6, (i) => auth('evil.example.com', i)); // a host name: never resolved, never blocked
  add(9, (i) => limit('198.51.100.20', i));
  add(5, (i) => limit('198.51.100.21', i));
  add(3, (i) => limit('198.51.100.22', i));
  add(40, (i) => `[notice] 812#812: *${i} "^/v1/" matches "/v1/health", client: 192.0.2.${i % 50}, server: mcp.example.com`);
  add(5, (i) => `[error] 812#812: *${i} open() "/usr/share/nginx/html/favicon.ico" failed (2: No such file or directory), client: 192.0.2.99, server: mcp.example.com`);
  // Shuffled, then dated in order: interleaved the way a busy server writes them.
  for (let i = events.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [events[i], events[j]] = [events[j] as (i: number) => string, events[i] as (i: number) => string];
  }
  events.forEach((f, i) => lines.push(`${errTime(start + i * 1500)} ${f(i)}`));
  const file = join(tmp.dir, `error-${n++}.log`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

test('stock nginx-http-auth: the same offenders as fail2ban-regex, and a host name is never blocked', { skip: note }, () => {
  const log = nginxErrorLog();
  const filter = `${STOCK}/nginx-http-auth.conf`;
  const expected = fail2banOffenders(log, filter);
  assert.deepEqual([...expected].sort(), ['2001:db8:1::10', '203.0.113.10']);
  const ours = agentsecBlocked(log, ['--filter', filter]);
  assert.deepEqual([...ours.blocked].sort(), [...expected].sort());
  assert.equal(ours.doc['format'], 'fail2ban-filter');
  assert.equal(ours.doc['unrecognised'], 6, 'the host-name lines are unrecognised');
});

test('stock nginx-limit-req: the same offenders as fail2ban-regex', { skip: note }, () => {
  const log = nginxErrorLog();
  const filter = `${STOCK}/nginx-limit-req.conf`;
  const expected = fail2banOffenders(log, filter);
  assert.deepEqual([...expected].sort(), ['198.51.100.20', '198.51.100.21']);
  assert.deepEqual([...agentsecBlocked(log, ['--filter', filter]).blocked].sort(), [...expected].sort());
});

/** A filter for the inference platform's JSON security log, as a fail2ban user would write it (with an include). */
export const JSON_FILTER = `[INCLUDES]
before = agent-common.conf

[Definition]
_events = AUTHENTICATION_FAILED|SESSION_VALIDATION_FAILED|ACCESS_DENIED
# fail2ban cuts the whole date match (the \`{"timestamp": "…"\` prefix included) out of the line first.
failregex = ^%(_fields)s "event": "(?:%(_events)s)", "user_id": "[^"]*", "source_ip": "<ADDR>"
ignoreregex = "user_agent": "kube-probe/
datepattern = ^\\{"timestamp": "%%Y-%%m-%%dT%%H:%%M:%%S(?:\\.%%f)?%%z"
`;
export const JSON_FILTER_COMMON = `[DEFAULT]
_fields = , "level": "[A-Z]+",
`;

test('a filter written for a JSON security log: the same offenders as fail2ban-regex and as the built-in JSON format', { skip: note }, () => {
  const start = Date.now() - 4 * 60_000;
  const ev = (ms: number, event: string, ip: string, ua = 'Mozilla/5.0 (X11; Linux x86_64)') =>
    `{"timestamp": "${new Date(start + ms).toISOString()}", "level": "WARN", "event": "${event}", "user_id": "user-${ms % 7}", "source_ip": "${ip}", "user_agent": ${JSON.stringify(ua)}}`;
  const lines: string[] = [];
  for (let i = 0; i < 6; i++) lines.push(ev(i * 1000, 'AUTHENTICATION_FAILED', '203.0.113.30'));
  for (let i = 0; i < 5; i++) lines.push(ev(i * 1000 + 100, 'SESSION_VALIDATION_FAILED', '203.0.113.31'));
  for (let i = 0; i < 5; i++) lines.push(ev(i * 1000 + 200, i % 2 ? 'ACCESS_DENIED' : 'AUTHENTICATION_FAILED', '2001:db8:3::31'));
  for (let i = 0; i < 4; i++) lines.push(ev(i * 1000 + 300, 'AUTHENTICATION_FAILED', '203.0.113.32'));
  for (let i = 0; i < 10; i++) lines.push(ev(i * 1000 + 400, 'LLM_TOKEN_ERROR', '192.0.2.33'));
  for (let i = 0; i < 10; i++) lines.push(ev(i * 1000 + 500, 'CACHE_KEY_ERROR', '192.0.2.34'));
  // The cluster's own probes, and a client forging a source_ip inside its user agent.
  for (let i = 0; i < 6; i++) lines.push(ev(i * 1000 + 600, 'AUTHENTICATION_FAILED', '10.1.0.7', 'kube-probe/1.29'));
  for (let i = 0; i < 6; i++) lines.push(ev(i * 1000 + 700, 'LLM_TOKEN_ERROR', '192.0.2.35', 'x", "source_ip": "203.0.113.99'));
  lines.sort();
  const log = join(tmp.dir, 'security.json');
  writeFileSync(log, `${lines.join('\n')}\n`);
  const filter = join(tmp.dir, 'filter.d', 'agent-security.conf');
  writeFileSync(filter, JSON_FILTER);
  writeFileSync(join(tmp.dir, 'filter.d', 'agent-common.conf'), JSON_FILTER_COMMON);
  const expected = fail2banOffenders(log, filter);
  assert.deepEqual([...expected].sort(), ['2001:db8:3::31', '203.0.113.30', '203.0.113.31']);
  assert.deepEqual([...agentsecBlocked(log, ['--filter', filter]).blocked].sort(), [...expected].sort());
  // The built-in format with its preset: the same, plus the probe address (it has no ignore rule; allowlist it).
  assert.deepEqual([...agentsecBlocked(log, ['--format', 'json', '--preset', 'source-ip']).blocked].sort(), [...expected, '10.1.0.7'].sort());
});
