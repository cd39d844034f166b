import assert from 'node:assert/strict';
import { createSecretKey, randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { SignJWT, base64url } from 'jose';
import { makeKeyMaterial, publicKeyFrom, signingKeyFrom, type PublicJwk } from '../../../src/core/jwt/key-material.js';
import { signToken, type SigningKey } from '../../../src/core/jwt/sign.js';
import { verifyToken, type VerifyKey, type VerifyPolicy } from '../../../src/core/jwt/verify.js';
import type { JwtAlg } from '../../../src/core/jwt/algs.js';

const NOW = Date.parse('2026-06-01T12:00:00Z');
const random = (n: number) => randomBytes(n);

async function keyPair(alg: JwtAlg): Promise<{ signer: SigningKey; verifier: VerifyKey; publicJwk: PublicJwk | null }> {
  const m = await makeKeyMaterial(alg, { random });
  const signer = { kid: m.kid, alg, key: signingKeyFrom(alg, m.secret) };
  const verifier = { kid: m.kid, alg, key: alg === 'HS256' ? new Uint8Array(m.secret) : publicKeyFrom(m.publicJwk as PublicJwk) };
  return { signer, verifier, publicJwk: m.publicJwk };
}

const ed = await keyPair('EdDSA');
const hs = await keyPair('HS256');
const rs = await keyPair('RS256');
const ring = { keys: [ed.verifier, hs.verifier, rs.verifier] };
const policy: VerifyPolicy = { now: NOW, kind: 'access', issuer: 'https://auth.example', audience: ['api'], clockToleranceS: 30 };

async function token(signer: SigningKey = ed.signer, kind: 'access' | 'refresh' = 'access', over: { ttlMs?: number; now?: number; iss?: string; aud?: string[] } = {}): Promise<string> {
  const t = await signToken(signer, kind, { sub: 'alice', iss: over.iss ?? 'https://auth.example', aud: over.aud ?? ['api'], scope: ['memory:read'] }, { now: over.now ?? NOW, ttlMs: over.ttlMs ?? 900_000, random });
  return t.token;
}

function part(obj: unknown): string {
  return Buffer.from(JSON.stringify(obj)).toString('base64url');
}

async function reason(t: string, p: Partial<VerifyPolicy> = {}, r = ring): Promise<string | undefined> {
  const v = await verifyToken(t, r, { ...policy, ...p });
  return v.valid ? 'valid' : v.reason;
}

describe('strict verification', () => {
  test('a fresh token from every algorithm verifies, with its claims', async () => {
    for (const k of [ed, hs, rs]) {
      const v = await verifyToken(await token(k.signer), ring, policy);
      assert.equal(v.valid, true, k.signer.alg);
      assert.equal(v.claims?.['sub'], 'alice');
      assert.equal(v.kid, k.signer.kid);
    }
  });

  test('rejects alg none (unsigned), with and without a kid', async () => {
    const payload = part({ sub: 'alice', exp: NOW / 1000 + 600, iss: 'https://auth.example', aud: 'api' });
    assert.equal(await reason(`${part({ alg: 'none', typ: 'at+jwt', kid: ed.signer.kid })}.${payload}.`), 'malformed');
    assert.equal(await reason(`${part({ alg: 'none', typ: 'at+jwt', kid: ed.signer.kid })}.${payload}.AAAA`), 'alg-not-allowed');
    assert.equal(await reason(`${part({ alg: 'none', typ: 'at+jwt' })}.${payload}.AAAA`, {}, { keys: [ed.verifier] }), 'alg-not-allowed');
  });

  test('rejects key confusion: HS256 signed with an asymmetric public key', async () => {
    for (const k of [ed, rs]) {
      const spki = (k.verifier.key as import('node:crypto').KeyObject).export({ type: 'spki', format: 'pem' });
      const forged = await new SignJWT({ sub: 'mallory', iss: 'https://auth.example', aud: 'api' })
        .setProtectedHeader({ alg: 'HS256', kid: k.signer.kid, typ: 'at+jwt' })
        .setExpirationTime(NOW / 1000 + 600)
        .sign(createSecretKey(Buffer.from(spki)));
      assert.equal(await reason(forged), 'alg-not-allowed');
      const jwkBytes = Buffer.from(JSON.stringify(k.publicJwk));
      const forged2 = await new SignJWT({ sub: 'mallory' }).setProtectedHeader({ alg: 'HS256', kid: k.signer.kid, typ: 'at+jwt' }).setExpirationTime(NOW / 1000 + 600).sign(jwkBytes);
      assert.equal(await reason(forged2), 'alg-not-allowed');
    }
  });

  test('rejects an embedded jwk, jku, x5u or x5c header, even one naming a known key', async () => {
    const good = await token();
    const [, p, s] = good.split('.');
    for (const extra of [{ jwk: ed.publicJwk }, { jku: 'https://evil.example/jwks.json' }, { x5u: 'https://evil.example/cert.pem' }, { x5c: ['MIIB'] }]) {
      const h = part({ alg: 'EdDSA', kid: ed.signer.kid, typ: 'at+jwt', ...extra });
      assert.equal(await reason(`${h}.${p}.${s}`), 'embedded-key', Object.keys(extra)[0]);
    }
    // A token signed by an attacker's key carried in its own header.
    const evil = await keyPair('EdDSA');
    const t = await new SignJWT({ sub: 'mallory', iss: 'https://auth.example', aud: 'api' })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', jwk: evil.publicJwk as unknown as import('jose').JWK })
      .setExpirationTime(NOW / 1000 + 600)
      .sign(evil.signer.key);
    assert.equal(await reason(t, {}, { keys: [ed.verifier] }), 'embedded-key');
  });

  test('rejects an unknown kid', async () => {
    const other = await keyPair('EdDSA');
    assert.equal(await reason(await token(other.signer)), 'unknown-kid');
  });

  test('rejects a token without kid when several keys exist; accepts it with exactly one', async () => {
    const t = await new SignJWT({ sub: 'a', iss: 'https://auth.example', aud: 'api' }).setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt' }).setExpirationTime(NOW / 1000 + 600).sign(ed.signer.key);
    assert.equal(await reason(t), 'missing-kid');
    assert.equal(await reason(t, {}, { keys: [ed.verifier] }), 'valid');
  });

  test('rejects a tampered payload or signature', async () => {
    for (const k of [ed, hs, rs]) {
      const [h, p, s] = (await token(k.signer)).split('.') as [string, string, string];
      const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
      assert.equal(await reason(`${h}.${part({ ...claims, sub: 'admin' })}.${s}`), 'bad-signature');
      const sig = Buffer.from(s, 'base64url');
      sig[0] = (sig[0] as number) ^ 1;
      assert.equal(await reason(`${h}.${p}.${sig.toString('base64url')}`), 'bad-signature');
    }
  });

  test('rejects expired (beyond the 30 s tolerance) and not-yet-valid tokens', async () => {
    const t = await token(ed.signer, 'access', { ttlMs: 60_000 });
    assert.equal(await reason(t, { now: NOW + 60_000 + 29_000 }), 'valid');
    assert.equal(await reason(t, { now: NOW + 60_000 + 31_000 }), 'expired');
    assert.equal(await reason(t, { now: NOW - 29_000 }), 'valid');
    assert.equal(await reason(t, { now: NOW - 31_000 }), 'not-yet-valid');
  });

  test('requires exp', async () => {
    const t = await new SignJWT({ sub: 'a', iss: 'https://auth.example', aud: 'api' }).setProtectedHeader({ alg: 'EdDSA', kid: ed.signer.kid, typ: 'at+jwt' }).sign(ed.signer.key);
    assert.equal(await reason(t), 'missing-claim');
  });

  test('rejects a wrong or missing iss and aud whenever they are configured', async () => {
    assert.equal(await reason(await token(ed.signer, 'access', { iss: 'https://evil.example' })), 'wrong-issuer');
    assert.equal(await reason(await token(ed.signer, 'access', { aud: ['other'] })), 'wrong-audience');
    const bare = await signToken(ed.signer, 'access', { sub: 'a' }, { now: NOW, ttlMs: 60_000, random });
    assert.equal(await reason(bare.token), 'missing-claim');
    assert.equal(await reason(bare.token, { issuer: undefined, audience: [] }), 'valid');
  });

  test('a refresh token is refused as an access token and vice versa', async () => {
    assert.equal(await reason(await token(ed.signer, 'refresh')), 'wrong-type');
    assert.equal(await reason(await token(ed.signer, 'access'), { kind: 'refresh' }), 'wrong-type');
    assert.equal(await reason(await token(ed.signer, 'refresh'), { kind: 'refresh' }), 'valid');
  });

  test('rejects a revoked jti, after the signature checks out', async () => {
    const t = await token();
    const jti = (JSON.parse(Buffer.from(t.split('.')[1] as string, 'base64url').toString()) as { jti: string }).jti;
    assert.equal(await reason(t, { isRevoked: (c) => c['jti'] === jti }), 'revoked');
    assert.equal(await reason(t, { isRevoked: (c) => c['jti'] === 'other' }), 'valid');
  });

  test('a revocation lookup that answers asynchronously (a store) is awaited, not taken for its promise', async () => {
    const t = await token();
    assert.equal(await reason(t, { isRevoked: async () => false }), 'valid');
    assert.equal(await reason(t, { isRevoked: async (c) => typeof c['jti'] === 'string' }), 'revoked');
  });

  test('max age and scopes', async () => {
    const t = await token();
    assert.equal(await reason(t, { maxAgeS: 60, now: NOW + 120_000 }), 'too-old');
    assert.equal(await reason(t, { scopes: ['memory:read'] }), 'valid');
    const v = await verifyToken(t, ring, { ...policy, scopes: ['memory:write'] });
    assert.equal(v.reason, 'insufficient-scope');
    assert.deepEqual(v.missingScopes, ['memory:write']);
  });

  test('malformed tokens: segment count, base64url, JSON header, non-object payload', async () => {
    const good = await token();
    const [h, p, s] = good.split('.') as [string, string, string];
    const bad = [
      '',
      'abc',
      `${h}.${p}`,
      `${h}.${p}.${s}.${s}`,
      `${h}.${p}.${s}!`,
      `${h}=.${p}.${s}`,
      `${base64url.encode('not json')}.${p}.${s}`,
      `${base64url.encode('[1,2]')}.${p}.${s}`,
      `${h}.${base64url.encode('not json')}.${s}`,
      `${h}.${p}.A`,
    ];
    for (const t of bad) assert.equal(await reason(t), t === `${h}.${base64url.encode('not json')}.${s}` ? 'bad-signature' : 'malformed', t.slice(0, 40));
  });
});
