/**
 * The app API through HTTP on a real store and the real services: app tokens and scopes, every operation against the
 * CLI's `--json` for the same input, and hostile requests. No secret of a request reaches a log, a metric or the
 * audit chain.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { totpCode } from '../../src/core/totp/otp.js';
import { appApiEndpoint } from '../../src/server/app-api/endpoint.js';
import { base32Decode } from '../commands/totp/helpers.js';
import { runCli, tempDir } from '../support/cli.js';
import { startEndpoints, type TestServer } from '../support/endpoint-server.js';

interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly json: Record<string, unknown>;
  readonly text: string;
}

function call(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: opts.method ?? 'POST', headers: opts.headers ?? {} }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => (text += d));
      res.on('end', () => {
        let json: Record<string, unknown> = {};
        try {
          json = JSON.parse(text) as Record<string, unknown>;
        } catch {
          /* the status says it */
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, json, text });
      });
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

const tmp = tempDir('agentsec-app-api-');
const home = join(tmp.dir, 'home');
const cli = (args: string[], input?: string) => runCli(['--home', home, ...args], input === undefined ? {} : { input });
let server: TestServer;
let all: string;
let onlyCheck: string;
let apiKey: string;
let jwt: string;
let totpSecret: string;
const secrets: string[] = [];

function post(op: string, body: unknown, token = all, headers: Record<string, string> = {}): Promise<Reply> {
  return call(`${server.url}/api/v1/${op}`, { headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

function tokenFor(name: string, scopes: string): string {
  const r = cli(['serve', 'token', 'create', name, '--scope', scopes, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const t = (JSON.parse(r.stdout) as { token: string }).token;
  secrets.push(t);
  return t;
}

before(async () => {
  assert.equal(cli(['init']).code, 0);
  all = tokenFor('all', 'keys:verify,jwt:verify,totp:verify,blocks:record,blocks:check,audit:append');
  onlyCheck = tokenFor('check-only', 'blocks:check');
  apiKey = (JSON.parse(cli(['keys', 'issue', '--name', 'bot', '--scope', 'memory:read', '--json']).stdout) as { key: string }).key;
  assert.equal(cli(['jwt', 'keygen']).code, 0);
  jwt = (JSON.parse(cli(['jwt', 'issue', '--sub', 'agent-7', '--scope', 'memory:read', '--json']).stdout) as { accessToken: string }).accessToken;
  totpSecret = (JSON.parse(cli(['--json', 'totp', 'enroll', 'alice']).stdout) as { secret: string }).secret;
  const now = Date.now();
  assert.equal(cli(['totp', 'confirm', 'alice'], `${totpCode(base32Decode(totpSecret), { algorithm: 'SHA1', digits: 6, period: 30 }, now)}\n`).code, 0);
  secrets.push(apiKey, jwt, totpSecret);
  server = await startEndpoints({ home, endpoints: [appApiEndpoint] });
});

after(async () => {
  await server?.close();
  tmp.cleanup();
});

/** The CLI's --json document without its volatile fields. */
function cliJson(args: string[], input?: string): Record<string, unknown> {
  const r = cli(['--json', ...args], input);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

test('app api: no, malformed, unknown, revoked or wrong-kind tokens get 401; a token without the scope gets 403', async () => {
  const body = { ip: '192.0.2.1' };
  const bouncer = (JSON.parse(cli(['serve', 'bouncer', 'add', 'b', '--json']).stdout) as { key: string }).key;
  const revoked = tokenFor('gone', 'blocks:check');
  assert.equal(cli(['serve', 'token', 'revoke', 'gone', '--yes']).code, 0);
  for (const headers of [{}, { authorization: 'Bearer' }, { authorization: `Basic ${all}` }, { authorization: `Bearer ${all}x` }, { authorization: `Bearer ${bouncer}` }, { authorization: `Bearer ${revoked}` }, { authorization: `Bearer ${apiKey}` }, { authorization: `Bearer ${'a'.repeat(4000)}` }]) {
    const r = await call(`${server.url}/api/v1/blocks/check`, { headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    assert.equal(r.status, 401, JSON.stringify(headers).slice(0, 60));
    assert.equal(r.headers['www-authenticate'], 'Bearer realm="agentsec"');
  }
  assert.equal((await post('blocks/check', body, onlyCheck)).status, 200);
  const denied = await post('blocks/record', body, onlyCheck);
  assert.equal(denied.status, 403);
  assert.match(String(denied.json.message), /blocks:record/);
});

test('app api: keys/verify answers what keys verify --json answers, and counts failures with an ip', async () => {
  const api = await post('keys/verify', { key: apiKey, scopes: ['memory:read'] });
  assert.equal(api.status, 200);
  const mine = cliJson(['keys', 'verify', '--scope', 'memory:read'], apiKey);
  assert.deepEqual({ ...api.json, key: { ...(api.json.key as object), lastUsedAt: null } }, { ...mine, key: { ...(mine.key as object), lastUsedAt: null } });
  assert.equal(api.json.code, 'VALID');
  const scope = await post('keys/verify', { key: apiKey, scopes: ['memory:write'] });
  assert.equal(scope.json.code, 'INSUFFICIENT_SCOPE');
  const wrong = apiKey.slice(0, 10) + (apiKey[10] === 'a' ? 'b' : 'a') + apiKey.slice(11);
  const bad = await post('keys/verify', { key: wrong, ip: '203.0.113.50' });
  assert.equal(bad.status, 200);
  assert.equal(bad.json.valid, false);
  assert.equal((bad.json.blocks as { outcome: string }).outcome, 'counted');
  assert.deepEqual(Object.keys(bad.json).sort(), Object.keys(cliJson(['keys', 'verify', '--ip', '203.0.113.51'], wrong)).sort());
});

test('app api: jwt/verify and totp/verify give the CLI verdicts; a replayed code is refused', async () => {
  const v = await post('jwt/verify', { token: jwt, scopes: ['memory:read'] });
  assert.equal(v.status, 200);
  assert.deepEqual(v.json, cliJson(['jwt', 'verify', '--scope', 'memory:read'], jwt));
  assert.equal(v.json.valid, true);
  // One character of the signature changed, away from its end (whose last character carries padding bits).
  const at = jwt.lastIndexOf('.') + 10;
  const tampered = await post('jwt/verify', { token: `${jwt.slice(0, at)}${jwt[at] === 'A' ? 'B' : 'A'}${jwt.slice(at + 1)}` });
  assert.equal(tampered.json.valid, false);
  assert.equal(typeof tampered.json.reason, 'string');
  const code = totpCode(base32Decode(totpSecret), { algorithm: 'SHA1', digits: 6, period: 30 }, Date.now() + 30_000);
  const ok = await post('totp/verify', { user: 'alice', code, ip: '198.51.100.9' });
  assert.equal(ok.json.code, 'VALID', ok.text);
  assert.equal((await post('totp/verify', { user: 'alice', code, ip: '198.51.100.9' })).json.code, 'REPLAYED');
  assert.equal((await post('totp/verify', { user: 'nobody', code: '123456' })).json.code, 'UNKNOWN_USER');
});

test('app api: blocks/record blocks after the policy threshold; blocks/check and the CLI agree', async () => {
  let last: Reply | undefined;
  for (let i = 0; i < 5; i++) last = await post('blocks/record', { ip: '192.0.2.77', reason: 'bad login' });
  assert.equal(last?.json.outcome, 'blocked', last?.text);
  const check = await post('blocks/check', { ip: '192.0.2.77' });
  assert.equal(check.json.blocked, true);
  const mine = cliJson(['blocks', 'check', '192.0.2.77']);
  assert.deepEqual(check.json, mine);
  assert.deepEqual((await post('blocks/check', { ip: '::ffff:192.0.2.78' })).json, { schemaVersion: 1, ip: '192.0.2.78', blocked: false, block: null });
});

test('app api: audit/append writes a chain entry whose actor is the token; the chain verifies', async () => {
  const r = await post('audit/append', { type: 'app.login', actor: 'alice', data: { ok: true, name: 'naïve ✓' } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.appended, 1);
  const log = cli(['--json', 'audit', 'log', '--type', 'app.login']);
  assert.match(log.stdout, /"app":"all"|"app": "all"/);
  assert.match(log.stdout, /naïve ✓/);
  assert.equal(cli(['audit', 'verify']).code, 0);
  assert.equal((await post('audit/append', { type: 'Bad Type!' })).status, 400);
});

test('app api: hostile requests get 400, 404, 405, 413 or 415 with a one-line JSON error, and the server stays up', async () => {
  const cases: Array<[string, () => Promise<Reply>, number]> = [
    ['no content type', () => post('blocks/check', '{"ip":"192.0.2.1"}', all, { 'content-type': '' }), 415],
    ['text/plain', () => post('blocks/check', '{"ip":"192.0.2.1"}', all, { 'content-type': 'text/plain' }), 415],
    ['latin1 charset', () => post('blocks/check', '{"ip":"192.0.2.1"}', all, { 'content-type': 'application/json; charset=latin1' }), 415],
    ['malformed JSON', () => post('blocks/check', '{"ip":'), 400],
    ['not UTF-8', () => post('blocks/check', Buffer.from([0x7b, 0xff, 0xfe, 0x7d]) as unknown as string), 400],
    ['an array', () => post('blocks/check', '[1,2]'), 400],
    ['null', () => post('blocks/check', 'null'), 400],
    ['wrong type', () => post('blocks/check', { ip: 7 }), 400],
    ['bad ip', () => post('blocks/check', { ip: '999.1.1.1' }), 400],
    ['unicode ip', () => post('blocks/check', { ip: '１９２.0.2.1' }), 400],
    ['unknown field', () => post('blocks/check', { ip: '192.0.2.1', admin: true }), 400],
    ['__proto__ field', () => post('blocks/check', '{"ip":"192.0.2.1","__proto__":{"x":1}}'), 400],
    ['missing field', () => post('keys/verify', {}), 400],
    ['huge key', () => post('keys/verify', { key: 'k'.repeat(10_000) }), 400],
    ['code as number', () => post('totp/verify', { user: 'alice', code: 123456 }), 400],
    ['bad window', () => post('totp/verify', { user: 'alice', code: '123456', window: 9 }), 400],
    ['too big', () => post('audit/append', { type: 'x', data: { pad: 'x'.repeat(20_000) } }), 413],
    ['unknown op', () => post('keys/issue', {}), 404],
    ['prototype op', () => post('constructor', {}), 404],
    ['proto op', () => post('__proto__', {}), 404],
    ['trailing slash', () => post('keys/verify/', {}), 404],
    ['encoded dots', () => post('%2e%2e/keys/verify', {}), 404],
    ['GET', () => call(`${server.url}/api/v1/blocks/check`, { method: 'GET', headers: { authorization: `Bearer ${all}` } }), 405],
  ];
  for (const [what, run, status] of cases) {
    const r = await run();
    assert.equal(r.status, status, `${what}: ${r.text.slice(0, 200)}`);
    assert.equal(typeof r.json.error, 'string', what);
    assert.ok(!String(r.json.message).includes('\n') && String(r.json.message).length < 300, what);
  }
  // A declared length over the limit is refused before the body is read.
  const big = await new Promise<string>((resolve, reject) => {
    const url = new URL(server.url);
    const s = connect(Number(url.port), url.hostname, () => s.write(`POST /api/v1/blocks/check HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${all}\r\nContent-Type: application/json\r\nContent-Length: 99999999\r\n\r\n{`));
    let got = '';
    s.on('data', (d) => (got += d.toString()));
    s.on('end', () => resolve(got));
    s.on('close', () => resolve(got));
    s.on('error', reject);
  });
  assert.match(big, /^HTTP\/1\.1 413/);
  assert.equal((await post('blocks/check', { ip: '192.0.2.1' })).status, 200, 'still up');
});

test('app api: after an invalidation the policies of config.yaml are read again; a config that no longer loads keeps them', async () => {
  writeFileSync(join(home, 'config.yaml'), 'blocks:\n  maxFailures: 2\n', { mode: 0o600 });
  server.invalidate();
  assert.equal((await post('blocks/record', { ip: '192.0.2.90' })).json.outcome, 'counted');
  assert.equal((await post('blocks/record', { ip: '192.0.2.90' })).json.outcome, 'blocked', 'the new maxFailures is in force');
  writeFileSync(join(home, 'config.yaml'), 'blocks:\n  noSuchKey: 1\n', { mode: 0o600 });
  server.invalidate();
  assert.equal((await post('blocks/record', { ip: '192.0.2.91' })).json.outcome, 'counted');
  assert.equal((await post('blocks/record', { ip: '192.0.2.91' })).json.outcome, 'blocked', 'the bad config left the running policy');
  assert.ok(server.logs.some((l) => l.level === 'warn' && /config reload failed/.test(l.event)));
  rmSync(join(home, 'config.yaml'));
  server.invalidate();
});

test('app api: no secret of any request is in a log line, a metric or the audit chain', async () => {
  const observed = server.observed();
  const chain = cli(['--json', 'audit', 'log']).stdout;
  for (const s of secrets) {
    assert.ok(!observed.includes(s), 'not in logs or metrics');
    assert.ok(!chain.includes(s), 'not in the audit chain');
  }
});
