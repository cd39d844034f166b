import assert from 'node:assert/strict';
import { createSecretKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { test } from 'node:test';
import { SignJWT, jwtVerify } from 'jose';
import type { JwtAlg } from '../../../src/core/jwt/algs.js';
import { reasonFromJose, verifyToken, type VerifyKey } from '../../../src/core/jwt/verify.js';

const NOW = Date.UTC(2026, 11, 2, 12, 0, 0);
const S = Math.floor(NOW / 1000);

interface Pair {
  alg: JwtAlg;
  sign: KeyObject;
  verify: KeyObject;
}

function pairs(): Pair[] {
  const ed = generateKeyPairSync('ed25519');
  const es = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const rs = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const hs = createSecretKey(Buffer.from('differential-test-hmac-secret-0123456789abcdef'));
  return [
    { alg: 'EdDSA', sign: ed.privateKey, verify: ed.publicKey },
    { alg: 'ES256', sign: es.privateKey, verify: es.publicKey },
    { alg: 'RS256', sign: rs.privateKey, verify: rs.publicKey },
    { alg: 'HS256', sign: hs, verify: hs },
  ];
}

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

// Claim sets around every edge of jose's validateClaimsSet: presence, iss/aud, types, nbf/exp/iat with tolerance.
const CLAIMS: Record<string, Record<string, unknown>> = {
  ok: { sub: 'a', iss: 'https://iss', aud: 'api', iat: S - 10, nbf: S - 10, exp: S + 600 },
  audList: { sub: 'a', iss: 'https://iss', aud: ['x', 'api'], exp: S + 600 },
  audListMiss: { iss: 'https://iss', aud: ['x', 'y'], exp: S + 600 },
  noExp: { iss: 'https://iss', aud: 'api' },
  noIss: { aud: 'api', exp: S + 600 },
  noAud: { iss: 'https://iss', exp: S + 600 },
  wrongIss: { iss: 'https://other', aud: 'api', exp: S + 600 },
  expired: { iss: 'https://iss', aud: 'api', exp: S - 31 },
  expiredInTolerance: { iss: 'https://iss', aud: 'api', exp: S - 29 },
  expAtEdge: { iss: 'https://iss', aud: 'api', exp: S - 30 },
  nbfFuture: { iss: 'https://iss', aud: 'api', nbf: S + 31, exp: S + 600 },
  nbfInTolerance: { iss: 'https://iss', aud: 'api', nbf: S + 30, exp: S + 600 },
  nbfString: { iss: 'https://iss', aud: 'api', nbf: 'soon', exp: S + 600 },
  expString: { iss: 'https://iss', aud: 'api', exp: 'later' },
  iatString: { iss: 'https://iss', aud: 'api', iat: 'then', exp: S + 600 },
  tooOld: { iss: 'https://iss', aud: 'api', iat: S - 3600, exp: S + 600 },
  iatFuture: { iss: 'https://iss', aud: 'api', iat: S + 120, exp: S + 600 },
  noIat: { iss: 'https://iss', aud: 'api', exp: S + 600 },
};

const POLICIES = [
  { issuer: 'https://iss', audience: ['api'] as string[] | undefined, maxAgeS: undefined as number | undefined },
  { issuer: undefined, audience: undefined, maxAgeS: 300 },
];

test('the claim and signature checks agree with jose jwtVerify on every edge, for every algorithm', async () => {
  let compared = 0;
  for (const p of pairs()) {
    const ring = { keys: [{ kid: 'k', alg: p.alg, key: p.verify } satisfies VerifyKey] };
    const tokens: [string, string][] = [];
    for (const [name, claims] of Object.entries(CLAIMS)) {
      tokens.push([name, await new SignJWT(claims).setProtectedHeader({ alg: p.alg, kid: 'k', typ: 'at+jwt' }).sign(p.sign)]);
    }
    const good = tokens[0]?.[1] as string;
    const [h, pl, sig] = good.split('.') as [string, string, string];
    const flipped = sig.slice(0, 5) + (sig[5] === 'A' ? 'B' : 'A') + sig.slice(6);
    tokens.push(['badSignature', `${h}.${pl}.${flipped}`]);
    tokens.push(['otherPayload', `${h}.${b64({ ...CLAIMS['ok'], sub: 'mallory' })}.${sig}`]);
    tokens.push(['shortSignature', `${h}.${pl}.${sig.slice(0, 20)}`]);
    tokens.push(['arrayPayload', await signRaw(p, { alg: p.alg, kid: 'k', typ: 'at+jwt' }, b64([1, 2]))]);
    tokens.push(['notUtf8', await signRaw(p, { alg: p.alg, kid: 'k', typ: 'at+jwt' }, Buffer.from([0x7b, 0xff, 0x7d]).toString('base64url'))]);
    tokens.push(['crit', await signRaw(p, { alg: p.alg, kid: 'k', typ: 'at+jwt', crit: ['exp'], exp: 1 }, b64(CLAIMS['ok']))]);
    for (const policy of POLICIES) {
      for (const [name, token] of tokens) {
        const ours = await verifyToken(token, ring, { now: NOW, kind: 'access', clockToleranceS: 30, ...policy });
        let theirs = 'valid';
        try {
          await jwtVerify(token, p.verify, {
            algorithms: [p.alg],
            currentDate: new Date(NOW),
            clockTolerance: 30,
            requiredClaims: ['exp'],
            ...(policy.issuer ? { issuer: policy.issuer } : {}),
            ...(policy.audience ? { audience: policy.audience } : {}),
            ...(policy.maxAgeS !== undefined ? { maxTokenAge: policy.maxAgeS } : {}),
          });
        } catch (err) {
          theirs = reasonFromJose(err);
        }
        assert.equal(ours.valid ? 'valid' : ours.reason, theirs, `${p.alg} ${name} ${JSON.stringify(policy)}`);
        compared++;
      }
    }
  }
  assert.ok(compared > 150);
});

async function signRaw(p: Pair, header: Record<string, unknown>, payloadB64: string): Promise<string> {
  const { sign, createHmac } = await import('node:crypto');
  const input = `${b64(header)}.${payloadB64}`;
  let sig: Buffer;
  if (p.alg === 'HS256') sig = createHmac('sha256', p.sign).update(input).digest();
  else if (p.alg === 'EdDSA') sig = sign(null, Buffer.from(input), p.sign);
  else if (p.alg === 'ES256') sig = sign('sha256', Buffer.from(input), { key: p.sign, dsaEncoding: 'ieee-p1363' });
  else sig = sign('sha256', Buffer.from(input), p.sign);
  return `${input}.${sig.toString('base64url')}`;
}
