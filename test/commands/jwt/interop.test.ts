import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, type JsonWebKey } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import jsonwebtoken from 'jsonwebtoken';
import { SignJWT, createLocalJWKSet, jwtVerify } from 'jose';
import Database from 'better-sqlite3';
import { deriveSubkey, open } from '../../../src/core/crypto/seal.js';
import { JWT_KEYS_PURPOSE } from '../../../src/core/jwt/key-material.js';
import { loadMasterKey } from '../../../src/platform/master-key.js';
import { homePaths } from '../../../src/platform/paths.js';
import { cli, initHome } from '../keys/helpers.js';

// Independent implementations both ways: jsonwebtoken for HS256/ES256/RS256, jose called directly for EdDSA.
let home: string;
let cleanup: () => void;
before(async () => ({ home, cleanup } = await initHome()));
after(() => cleanup());

const HS_SECRET = 'interop-secret-0123456789abcdefghijklmnopqrstuv';
const AUD = 'api.example';
const ISS = 'https://auth.example';

async function keygen(args: string[]): Promise<string> {
  const r = await cli(home, ['--json', 'jwt', 'keygen', ...args]);
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as { kid: string }).kid;
}

async function issue(): Promise<string> {
  const r = await cli(home, ['--json', 'jwt', 'issue', '--sub', 'agent-1', '--aud', AUD, '--iss', ISS]);
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as { accessToken: string }).accessToken;
}

async function verifyHere(token: string): Promise<string> {
  const r = await cli(home, ['jwt', 'verify', '--aud', AUD, '--iss', ISS], { stdin: token });
  return r.stdout.split('\n')[0] as string;
}

async function jwks(): Promise<{ keys: Array<JsonWebKey & { kid: string }> }> {
  return JSON.parse((await cli(home, ['jwt', 'jwks'])).stdout) as { keys: Array<JsonWebKey & { kid: string }> };
}

/** The test reaches into the store for the private key, as an operator exporting it would. */
async function privateJwk(kid: string): Promise<JsonWebKey> {
  const paths = homePaths(home);
  const db = new Database(paths.db, { readonly: true });
  try {
    const row = db.prepare('SELECT private_sealed FROM jwt_keys WHERE kid = ?').get(kid) as { private_sealed: Buffer };
    const master = await loadMasterKey(paths, {});
    return JSON.parse(open(deriveSubkey(master, JWT_KEYS_PURPOSE), row.private_sealed, kid).toString('utf8')) as JsonWebKey;
  } finally {
    db.close();
  }
}

function otherSign(alg: 'HS256' | 'ES256' | 'RS256', key: string | import('node:crypto').KeyObject, kid: string): string {
  return jsonwebtoken.sign({ sub: 'svc-b' }, key, { algorithm: alg, keyid: kid, header: { alg, typ: 'at+jwt' }, audience: AUD, issuer: ISS, expiresIn: '5m', jwtid: `j-${alg}` });
}

describe('interop', () => {
  test('HS256 (imported secret): agentsec -> jsonwebtoken and jsonwebtoken -> agentsec', async () => {
    const file = `${home}/../hs.secret`;
    writeFileSync(file, `${HS_SECRET}\n`);
    const kid = await keygen(['--alg', 'HS256', '--secret-file', file]);
    const token = await issue();
    const claims = jsonwebtoken.verify(token, HS_SECRET, { algorithms: ['HS256'], audience: AUD, issuer: ISS }) as jsonwebtoken.JwtPayload;
    assert.equal(claims.sub, 'agent-1');
    assert.equal(await verifyHere(otherSign('HS256', HS_SECRET, kid)), 'valid');
    assert.equal(await verifyHere(otherSign('HS256', `${HS_SECRET}x`, kid)), 'bad-signature');
    assert.equal((await jwks()).keys.length, 0, 'an HMAC secret never appears in the JWKS');
  });

  for (const alg of ['ES256', 'RS256'] as const) {
    test(`${alg}: agentsec -> jsonwebtoken via the JWKS, jsonwebtoken with agentsec's key -> agentsec`, async () => {
      const kid = await keygen(['--alg', alg]);
      const token = await issue();
      const jwk = (await jwks()).keys.find((k) => k.kid === kid) as JsonWebKey;
      const pem = createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' }) as string;
      const claims = jsonwebtoken.verify(token, pem, { algorithms: [alg], audience: AUD, issuer: ISS }) as jsonwebtoken.JwtPayload;
      assert.equal(claims.sub, 'agent-1');
      const priv = createPrivateKey({ key: await privateJwk(kid), format: 'jwk' });
      assert.equal(await verifyHere(otherSign(alg, priv, kid)), 'valid');
    });
  }

  test('EdDSA: agentsec -> jose with the published JWKS, jose with agentsec key -> agentsec', async () => {
    const kid = await keygen([]);
    const token = await issue();
    const set = createLocalJWKSet(await jwks());
    const r = await jwtVerify(token, set, { audience: AUD, issuer: ISS, algorithms: ['EdDSA'] });
    assert.equal(r.payload.sub, 'agent-1');
    assert.equal(r.protectedHeader.kid, kid);
    const priv = createPrivateKey({ key: await privateJwk(kid), format: 'jwk' });
    const theirs = await new SignJWT({ sub: 'svc-c' }).setProtectedHeader({ alg: 'EdDSA', kid, typ: 'at+jwt' }).setAudience(AUD).setIssuer(ISS).setIssuedAt().setExpirationTime('5m').sign(priv);
    assert.equal(await verifyHere(theirs), 'valid');
  });
});
