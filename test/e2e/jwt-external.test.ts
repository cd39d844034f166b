import assert from 'node:assert/strict';
import { generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import jsonwebtoken from 'jsonwebtoken';
import { runCli, tempDir } from '../support/cli.js';

const tmp = tempDir();
after(() => tmp.cleanup());

// What a server's .env holds (AgentMem-style JWT_SECRET); jsonwebtoken signs with its UTF-8 bytes.
const SERVER_SECRET = 'Qm9vdHN0cmFwLXNlcnZlci1zZWNyZXQtZm9yLWFnZW50bWVtLTIwMjY';

function home(name: string): (args: string[], input?: string) => ReturnType<typeof runCli> {
  const h = join(tmp.dir, name);
  const A = (args: string[], input?: string) => runCli(['--home', h, ...args], input === undefined ? {} : { input });
  assert.equal(A(['init', '--quiet']).code, 0);
  return A;
}

const verdict = (r: ReturnType<typeof runCli>): { valid: boolean; reason?: string; claims?: Record<string, unknown> } => JSON.parse(r.stdout) as { valid: boolean };

test('an external HS256 server token from jsonwebtoken (no kid, typ JWT) verifies against the external key only, with its iss/aud', () => {
  const A = home('external-hs');
  const secretFile = join(tmp.dir, 'server.secret');
  writeFileSync(secretFile, `${SERVER_SECRET}\n`);
  const gen = A(['--json', 'jwt', 'keygen', '--alg', 'HS256', '--secret-file', secretFile, '--external', 'agentmem', '--issuer', 'agentmem', '--audience', 'memory-api']);
  assert.equal(gen.code, 0, gen.stderr);
  assert.equal((JSON.parse(gen.stdout) as { issuer: string }).issuer, 'agentmem');
  assert.ok(!gen.stdout.includes(SERVER_SECRET) && !gen.stderr.includes(SERVER_SECRET));

  const token = jsonwebtoken.sign({ sub: 'user-7', scope: 'memory:read' }, SERVER_SECRET, { algorithm: 'HS256', expiresIn: '10m', issuer: 'agentmem', audience: 'memory-api' });
  assert.equal(JSON.parse(Buffer.from(token.split('.')[0] as string, 'base64url').toString()).kid, undefined, 'jsonwebtoken sets no kid');
  const ok = A(['--json', 'jwt', 'verify', '--scope', 'memory:read'], token);
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  assert.equal(verdict(ok).claims?.['sub'], 'user-7');

  // Strict checks stay: the configured iss and aud, exp required, the alg pinned to HS256, none refused.
  const sign = (payload: object, opts: jsonwebtoken.SignOptions) => jsonwebtoken.sign(payload, SERVER_SECRET, { algorithm: 'HS256', ...opts });
  assert.equal(verdict(A(['--json', 'jwt', 'verify'], sign({ sub: 'u' }, { expiresIn: '10m', issuer: 'other', audience: 'memory-api' }))).reason, 'wrong-issuer');
  assert.equal(verdict(A(['--json', 'jwt', 'verify'], sign({ sub: 'u' }, { expiresIn: '10m', issuer: 'agentmem', audience: 'other' }))).reason, 'wrong-audience');
  assert.equal(verdict(A(['--json', 'jwt', 'verify'], sign({ sub: 'u', iss: 'agentmem', aud: 'memory-api' }, {}))).reason, 'missing-claim');
  assert.equal(verdict(A(['--json', 'jwt', 'verify'], jsonwebtoken.sign({ sub: 'u' }, SERVER_SECRET, { algorithm: 'HS384', expiresIn: '10m', issuer: 'agentmem', audience: 'memory-api' }))).reason, 'alg-not-allowed');
  const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'u', iss: 'agentmem', aud: 'memory-api', exp: 4e9 })).toString('base64url')}.`;
  assert.equal(A(['jwt', 'verify'], none).code, 1);
  const embedded = jsonwebtoken.sign({ sub: 'u' }, SERVER_SECRET, { algorithm: 'HS256', expiresIn: '10m', issuer: 'agentmem', audience: 'memory-api', header: { alg: 'HS256', jku: 'https://evil.example/jwks' } as jsonwebtoken.JwtHeader });
  assert.equal(verdict(A(['--json', 'jwt', 'verify'], embedded)).reason, 'embedded-key');
  assert.equal(verdict(A(['--json', 'jwt', 'verify', '--refresh'], token)).reason, 'wrong-type', 'an external token is never a refresh token');

  // agentsec's own key never verifies a kid-less server token, and the external key never verifies or signs agentsec's.
  const ownSecret = join(tmp.dir, 'own.secret');
  writeFileSync(ownSecret, 'own-agentsec-hs256-secret-that-is-long-enough-0123456789');
  assert.equal(A(['jwt', 'keygen', '--alg', 'HS256', '--secret-file', ownSecret]).code, 0);
  const forged = jsonwebtoken.sign({ sub: 'u' }, readFileSync(ownSecret, 'utf8'), { algorithm: 'HS256', expiresIn: '10m', issuer: 'agentmem', audience: 'memory-api' });
  assert.equal(verdict(A(['--json', 'jwt', 'verify'], forged)).reason, 'bad-signature');
  const own = A(['--json', 'jwt', 'issue', '--sub', 'svc']);
  assert.equal(own.code, 0, own.stderr);
  const ownToken = (JSON.parse(own.stdout) as { accessToken: string }).accessToken;
  assert.equal(A(['jwt', 'verify'], ownToken).code, 0);
  const keys = JSON.parse(A(['--json', 'jwt', 'keys']).stdout) as { keys: { kid: string; issuer: string | null }[] };
  const ownKid = JSON.parse(Buffer.from(ownToken.split('.')[0] as string, 'base64url').toString()).kid as string;
  assert.equal(keys.keys.find((k) => k.kid === ownKid)?.issuer, null, 'the external key did not sign');
  // An agentsec-typed token signed with the server secret does not verify: own tokens go to own keys only.
  const disguised = jsonwebtoken.sign({ sub: 'u' }, SERVER_SECRET, { algorithm: 'HS256', expiresIn: '10m', header: { alg: 'HS256', typ: 'at+jwt' } as jsonwebtoken.JwtHeader });
  assert.equal(A(['jwt', 'verify'], disguised).code, 1);

  // Revocation applies to external tokens too.
  assert.equal(A(['jwt', 'revoke', '--sub', 'user-7', '--yes']).code, 0);
  assert.equal(verdict(A(['--json', 'jwt', 'verify'], token)).reason, 'revoked');

  const bad = A(['jwt', 'keygen', '--alg', 'EdDSA', '--external', 'x']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--external needs --alg HS256/);
  assert.equal(A(['jwt', 'keygen', '--alg', 'HS256', '--secret-file', secretFile, '--external', 'agentmem']).code, 2, 'one issuer per name');
});

function rsaJwks(kid: string): { privateKey: import('node:crypto').KeyObject; jwk: JsonWebKey } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' } };
}

test('an IdP-style RS256 token verifies from a trusted JWKS file by kid; alg, iss and aud are pinned; refresh drops withdrawn keys', () => {
  const A = home('idp');
  const k1 = rsaJwks('kc-2026-1');
  const k2 = rsaJwks('kc-2026-2');
  const encKey = { ...generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'jwk' }), kid: 'kc-enc', alg: 'RSA-OAEP', use: 'enc' };
  const file = join(tmp.dir, 'jwks.json');
  writeFileSync(file, JSON.stringify({ keys: [k1.jwk, k2.jwk, encKey] }));
  const ISS = 'https://sso.example.com/realms/agents';
  const trust = A(['--json', 'jwt', 'trust', '--jwks', file, '--issuer', ISS, '--audience', 'agent-api', '--name', 'keycloak']);
  assert.equal(trust.code, 0, trust.stderr);
  assert.deepEqual((JSON.parse(trust.stdout) as { added: string[] }).added, ['kc-2026-1', 'kc-2026-2']);
  assert.match(trust.stderr, /skipped key kc-enc/);

  const idp = (key: typeof k1, payload: object, opts: jsonwebtoken.SignOptions = {}) =>
    jsonwebtoken.sign(payload, key.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string, { algorithm: 'RS256', keyid: key.jwk.kid as string, expiresIn: '5m', issuer: ISS, audience: 'agent-api', ...opts });
  const good = A(['--json', 'jwt', 'verify'], idp(k2, { sub: 'alice', scope: 'memory:read' }));
  assert.equal(good.code, 0, good.stdout);
  assert.equal(verdict(good).claims?.['sub'], 'alice');
  // An RFC 9068 access token (typ at+jwt, as Auth0 issues) from the IdP verifies too; a refresh-typed one never.
  const at = jsonwebtoken.sign({ sub: 'bob' }, k1.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string, { algorithm: 'RS256', keyid: 'kc-2026-1', expiresIn: '5m', issuer: ISS, audience: 'agent-api', header: { alg: 'RS256', typ: 'at+jwt', kid: 'kc-2026-1' } as jsonwebtoken.JwtHeader });
  assert.equal(verdict(A(['--json', 'jwt', 'verify'], at)).claims?.['sub'], 'bob');
  const rt = jsonwebtoken.sign({ sub: 'bob' }, k1.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string, { algorithm: 'RS256', expiresIn: '5m', issuer: ISS, audience: 'agent-api', header: { alg: 'RS256', typ: 'rt+jwt', kid: 'kc-2026-1' } as jsonwebtoken.JwtHeader });
  assert.equal(verdict(A(['--json', 'jwt', 'verify'], rt)).reason, 'wrong-type');
  assert.equal(verdict(A(['--json', 'jwt', 'verify'], idp(k1, { sub: 'a' }, { audience: 'other-client' }))).reason, 'wrong-audience');
  assert.equal(verdict(A(['--json', 'jwt', 'verify'], idp(k1, { sub: 'a' }, { issuer: 'https://sso.example.com/realms/other' }))).reason, 'wrong-issuer');
  // A token whose header alg disagrees with the JWK's alg is refused before any signature check.
  const ps = jsonwebtoken.sign({ sub: 'a' }, k1.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string, { algorithm: 'PS256', keyid: 'kc-2026-1', expiresIn: '5m', issuer: ISS, audience: 'agent-api' });
  assert.equal(verdict(A(['--json', 'jwt', 'verify'], ps)).reason, 'alg-not-allowed');
  // Key confusion: an HS256 token "signed" with the public key under its kid.
  const pem = (k1.jwk as JsonWebKey) && generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'pem', type: 'spki' });
  const confused = jsonwebtoken.sign({ sub: 'a' }, String(pem), { algorithm: 'HS256', keyid: 'kc-2026-1', expiresIn: '5m', issuer: ISS, audience: 'agent-api' });
  assert.equal(verdict(A(['--json', 'jwt', 'verify'], confused)).reason, 'alg-not-allowed');
  assert.equal(verdict(A(['--json', 'jwt', 'verify'], idp(k1, { sub: 'a' }, { keyid: 'unknown' }))).reason, 'unknown-kid');

  // The user refreshes the file: kc-2026-1 was withdrawn by the IdP and stops verifying at once.
  writeFileSync(file, JSON.stringify({ keys: [k2.jwk] }));
  const refreshed = A(['--json', 'jwt', 'trust', '--jwks', file, '--issuer', ISS, '--audience', 'agent-api', '--name', 'keycloak']);
  assert.deepEqual(JSON.parse(refreshed.stdout) as object, { schemaVersion: 1, name: 'keycloak', added: [], removed: ['kc-2026-1'], kept: ['kc-2026-2'], skipped: [] });
  assert.equal(verdict(A(['--json', 'jwt', 'verify'], idp(k1, { sub: 'a' }))).reason, 'unknown-kid');
  const list = JSON.parse(A(['--json', 'jwt', 'trust', 'list']).stdout) as { issuers: { name: string; kind: string; keys: { kid: string }[] }[] };
  assert.deepEqual(list.issuers.map((i) => [i.name, i.kind, i.keys.map((k) => k.kid)]), [['keycloak', 'jwks', ['kc-2026-2']]]);
  assert.equal(JSON.parse(A(['jwt', 'jwks']).stdout).keys.length, 0, "an IdP's keys are never republished as ours");

  assert.equal(A(['jwt', 'trust', 'remove', 'keycloak']).code, 0);
  assert.equal(A(['jwt', 'verify'], idp(k2, { sub: 'a' })).code, 1);
  assert.equal(A(['jwt', 'trust', 'remove', 'keycloak']).code, 2);
  const types = A(['audit', 'log', '--json']).stdout.trim().split('\n').map((l) => (JSON.parse(l) as { type: string }).type);
  assert.deepEqual(types.filter((t) => t.startsWith('jwt.')), ['jwt.trust', 'jwt.trust', 'jwt.untrust']);
});

test('jwt trust refuses private key material, a symlinked file, an alg that does not fit the key, none, and missing iss/aud', () => {
  const A = home('idp-bad');
  const ISS = 'https://sso.example.com/realms/agents';
  const trust = (doc: unknown, extra: string[] = []) => {
    const f = join(tmp.dir, `bad-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(f, typeof doc === 'string' ? doc : JSON.stringify(doc));
    return A(['jwt', 'trust', '--jwks', f, '--issuer', ISS, '--audience', 'api', ...extra]);
  };
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const priv = { ...privateKey.export({ format: 'jwk' }), kid: 'leak', alg: 'RS256' };
  const r = trust({ keys: [priv] });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /private or symmetric key material \(d, p, q, dp, dq, qi\)/);
  assert.ok(!r.stderr.includes(String(priv.d)), 'the private member is never echoed');
  assert.match(trust({ keys: [{ kty: 'oct', k: 'c2VjcmV0', kid: 'h', alg: 'HS256' }] }).stderr, /private or symmetric/);
  const pub = rsaJwks('k').jwk;
  assert.match(trust({ keys: [{ ...pub, alg: 'ES256' }] }).stderr, /says alg ES256 but is a RSA key/);
  assert.match(trust({ keys: [{ ...pub, alg: 'none' }] }).stderr, /alg none/);
  assert.match(trust({ keys: [{ ...pub, alg: undefined }] }).stderr, /has no alg/);
  assert.match(trust('not json').stderr, /not JSON/);
  const small = { ...generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'jwk' }), kid: 's', alg: 'RS256' };
  assert.match(trust({ keys: [small] }).stderr, /RSA-1024/);
  const dir = join(tmp.dir, 'links');
  mkdirSync(dir);
  const real = join(dir, 'real.json');
  writeFileSync(real, JSON.stringify({ keys: [pub] }));
  symlinkSync(real, join(dir, 'link.json'));
  const link = A(['jwt', 'trust', '--jwks', join(dir, 'link.json'), '--issuer', ISS, '--audience', 'api']);
  assert.equal(link.code, 2);
  assert.match(link.stderr, /is a symlink/);
  assert.equal(A(['jwt', 'trust', '--jwks', real, '--audience', 'api']).code, 2);
  assert.equal(A(['jwt', 'trust', '--jwks', real, '--issuer', ISS]).code, 2);
  assert.equal(A(['jwt', 'trust', '--jwks', real, '--issuer', 'not a url', '--audience', 'api']).code, 2);
  for (const out of [r]) assert.ok(!out.stderr.includes('    at '), 'no stack trace');
  assert.equal(JSON.parse(A(['--json', 'jwt', 'trust', 'list']).stdout).issuers.length, 0, 'nothing was imported');
});
