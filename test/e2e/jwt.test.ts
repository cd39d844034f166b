import assert from 'node:assert/strict';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runCli, runCliAsync, tempDir } from '../support/cli.js';

const tmp = tempDir();
after(() => tmp.cleanup());

const SECRET = 'e2e-hmac-secret-ABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789';

test('jwt actions land in the audit chain; no token, secret or private key ever does', () => {
  const home = join(tmp.dir, 'audit');
  const A = (args: string[], input?: string) => runCli(['--home', home, ...args], input === undefined ? {} : { input });
  assert.equal(A(['init', '--quiet']).code, 0);
  const secretFile = join(tmp.dir, 'hs.secret');
  writeFileSync(secretFile, SECRET);
  const hsKid = A(['jwt', 'keygen', '--alg', 'HS256', '--secret-file', secretFile]).stdout.trim();
  const edGen = A(['--json', 'jwt', 'keygen']);
  assert.equal(edGen.code, 0, edGen.stderr);
  const edKid = (JSON.parse(edGen.stdout) as { kid: string }).kid;
  const issued = A(['--json', 'jwt', 'issue', '--sub', 'alice', '--refresh']);
  assert.equal(issued.code, 0, issued.stderr);
  const doc = JSON.parse(issued.stdout) as { accessToken: string; refreshToken: string; jti: string };
  const refreshed = A(['jwt', 'refresh'], doc.refreshToken);
  assert.equal(refreshed.code, 0, refreshed.stderr);
  const [newAccess] = refreshed.stdout.trim().split('\n');
  assert.equal(A(['jwt', 'refresh'], doc.refreshToken).code, 1, 'reuse');
  assert.equal(A(['jwt', 'revoke', '--jti', doc.jti]).code, 0);
  assert.equal(A(['jwt', 'keys', 'retire', hsKid]).code, 0);

  const log = A(['audit', 'log', '--json']);
  const entries = log.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; data: Record<string, unknown> });
  assert.deepEqual(entries.map((e) => e.type), ['audit.init', 'jwt.keygen', 'jwt.keygen', 'jwt.issue', 'jwt.refresh', 'jwt.refresh-reuse', 'jwt.revoke', 'jwt.retire']);
  assert.equal(entries[1]?.data['kid'], hsKid);
  assert.equal(entries[2]?.data['kid'], edKid);
  assert.equal(entries[3]?.data['jti'], doc.jti);

  const exported = A(['audit', 'export']).stdout;
  const db = readFileSync(join(home, 'agentsec.db')).toString('latin1');
  for (const secret of [SECRET, doc.accessToken, doc.refreshToken, newAccess as string]) {
    assert.ok(!log.stdout.includes(secret) && !exported.includes(secret), 'no secret in the audit chain');
    assert.ok(!db.includes(secret), 'no secret in the store in the clear');
  }
  assert.ok(!/"d"\s*:/.test(exported), 'no private JWK member in the audit chain');
  assert.ok(!db.includes('"d":'), 'private JWKs are sealed in the store');
  for (const r of [issued, refreshed]) assert.ok(!r.stderr.includes(doc.accessToken.split('.')[2] as string), 'tokens only on stdout');
});

test('config.yaml jwt: issuer and audience become defaults and are enforced; unknown keys are refused', () => {
  const home = join(tmp.dir, 'config');
  const A = (args: string[], input?: string) => runCli(['--home', home, ...args], input === undefined ? {} : { input });
  assert.equal(A(['init', '--quiet']).code, 0);
  assert.equal(A(['jwt', 'keygen', '--alg', 'ES256']).code, 0);
  writeFileSync(join(home, 'config.yaml'), 'jwt:\n  issuer: https://auth.example\n  audience: [api]\n  accessTtl: 5m\n');
  const token = A(['jwt', 'issue', '--sub', 'svc']).stdout.trim();
  const claims = JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()) as Record<string, unknown>;
  assert.equal(claims['iss'], 'https://auth.example');
  assert.equal(claims['aud'], 'api');
  assert.equal((claims['exp'] as number) - (claims['iat'] as number), 300);
  assert.equal(A(['jwt', 'verify'], token).code, 0);
  const elsewhere = A(['jwt', 'issue', '--sub', 'svc', '--aud', 'other', '--iss', 'https://other.example']).stdout.trim();
  const v = A(['jwt', 'verify'], elsewhere);
  assert.equal(v.code, 1);
  assert.equal(v.stdout.trim(), 'wrong-issuer');
  writeFileSync(join(home, 'config.yaml'), 'jwt:\n  audiance: api\n');
  const bad = A(['jwt', 'verify'], token);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /config .*jwt/);
  assert.equal(bad.stderr.trim().split('\n').length, 1);
});

test('the binary answers malformed tokens with exit 1 and no stack trace', () => {
  const home = join(tmp.dir, 'malformed');
  assert.equal(runCli(['--home', home, 'init', '--quiet']).code, 0);
  for (const t of ['only.two', 'e30.e30.e30.e30', '%%%.e30.c2ln', `${Buffer.from('{bad').toString('base64url')}.e30.c2ln`]) {
    const r = runCli(['--home', home, 'jwt', 'verify'], { input: t });
    assert.equal(r.code, 1);
    assert.equal(r.stdout.trim(), 'malformed');
    assert.doesNotMatch(r.stderr, /\bat .*\.js/);
  }
});

test('a home others can read is refused with a one-line fix; nothing is written', () => {
  const home = join(tmp.dir, 'perm');
  assert.equal(runCli(['--home', home, 'init', '--quiet']).code, 0);
  chmodSync(home, 0o755);
  const r = runCli(['--home', home, 'jwt', 'keygen']);
  assert.equal(r.code, 2);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.match(r.stderr, /chmod/);
  chmodSync(home, 0o700);
  assert.equal((JSON.parse(runCli(['--home', home, '--json', 'jwt', 'keys']).stdout) as { keys: unknown[] }).keys.length, 0);
});

test('a passphrase home verifies asymmetric tokens without the passphrase; HS256 needs it', () => {
  const home = join(tmp.dir, 'pass');
  const env = { AGENTSEC_PASSPHRASE: 'correct horse battery staple jwt' };
  assert.equal(runCli(['--home', home, 'init', '--quiet'], { env }).code, 0);
  assert.equal(runCli(['--home', home, 'jwt', 'keygen', '--alg', 'ES256'], { env }).code, 0);
  const token = runCli(['--home', home, 'jwt', 'issue', '--sub', 'a'], { env }).stdout.trim();
  assert.equal(runCli(['--home', home, 'jwt', 'verify'], { input: token }).stdout.split('\n')[0], 'valid');
  assert.equal(runCli(['--home', home, 'jwt', 'keygen', '--alg', 'HS256'], { env }).code, 0);
  const noPass = runCli(['--home', home, 'jwt', 'verify'], { input: token });
  assert.notEqual(noPass.code, 0);
  assert.equal(noPass.stderr.trim().split('\n').length, 1);
  assert.equal(runCli(['--home', home, 'jwt', 'verify'], { input: token, env }).code, 0);
});

test('two concurrent uses of one refresh token: exactly one wins, the other is reuse', async () => {
  const home = join(tmp.dir, 'race');
  assert.equal(runCli(['--home', home, 'init', '--quiet']).code, 0);
  assert.equal(runCli(['--home', home, 'jwt', 'keygen']).code, 0);
  const refresh = runCli(['--home', home, 'jwt', 'issue', '--sub', 'a', '--refresh']).stdout.trim().split('\n')[1] as string;
  const results = await Promise.all([0, 1].map(() => runCliAsync(['--home', home, 'jwt', 'refresh'], { input: refresh })));
  assert.deepEqual(results.map((r) => r.code).sort(), [0, 1], results.map((r) => r.stderr).join(' | '));
  const loser = results.find((r) => r.code === 1);
  assert.equal(loser?.stdout.trim(), 'reused');
});

test("a kid that starts with '-' is read as an option: the error says to put it after '--'", () => {
  const home = join(tmp.dir, 'dash-kid');
  assert.equal(runCli(['--home', home, 'init', '--quiet']).code, 0);
  const r = runCli(['--home', home, 'jwt', 'keys', 'retire', '-Xb3dEfGhIjKlMnOpQrStUv']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /goes after '--'/);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  const short = runCli(['--home', home, 'jwt', 'keys', 'retire', '-x']);
  assert.doesNotMatch(short.stderr, /goes after/);
});

test('the built binary: revoke --sub, then log in again at once: 8 of 8 new tokens valid, the old ones revoked', () => {
  const home = join(tmp.dir, 'relogin');
  const A = (args: string[], input?: string) => runCli(['--home', home, ...args], input === undefined ? {} : { input });
  assert.equal(A(['init', '--quiet']).code, 0);
  assert.equal(A(['jwt', 'keygen']).code, 0);
  const old = (JSON.parse(A(['--json', 'jwt', 'issue', '--sub', 'judy']).stdout) as { accessToken: string }).accessToken;
  const outcomes: string[] = [];
  for (let i = 0; i < 8; i++) {
    assert.equal(A(['--yes', 'jwt', 'revoke', '--sub', 'judy']).code, 0);
    const fresh = (JSON.parse(A(['--json', 'jwt', 'issue', '--sub', 'judy']).stdout) as { accessToken: string }).accessToken;
    const verdict = (token: string) => {
      const v = JSON.parse(A(['--json', 'jwt', 'verify'], token).stdout) as { valid: boolean; reason?: string };
      return v.valid ? 'valid' : (v.reason ?? 'invalid');
    };
    outcomes.push(`${verdict(fresh)} ${verdict(old)}`);
  }
  assert.deepEqual(outcomes, Array(8).fill('valid revoked'));
});
