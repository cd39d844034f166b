import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { run } from '../../../src/cli/main.js';
import { fakeIo } from '../../support/io.js';
import { cli, initHome } from '../keys/helpers.js';

let home: string;
let cleanup: () => void;
before(async () => ({ home, cleanup } = await initHome()));
after(() => cleanup());

const T0 = new Date('2026-06-01T12:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

interface IssueDoc {
  accessToken: string;
  refreshToken?: string;
  jti: string;
  kid: string;
  refreshJti?: string;
}

async function issue(args: string[], now = T0): Promise<IssueDoc> {
  const r = await cli(home, ['--json', 'jwt', 'issue', ...args], { now });
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as IssueDoc;
}

async function verify(token: string, args: string[] = [], now = T0): Promise<{ code: number; reason?: string; claims?: Record<string, unknown> }> {
  const r = await cli(home, ['--json', 'jwt', 'verify', ...args], { stdin: token, now });
  const doc = JSON.parse(r.stdout) as { reason?: string; claims?: Record<string, unknown> };
  return { code: r.code, ...doc };
}

describe('jwt keys, issue, verify, refresh, revoke', () => {
  let edKid: string;

  test('issue before any key: one-line usage error, nothing written', async () => {
    const r = await cli(home, ['jwt', 'issue', '--sub', 'alice'], { now: T0 });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no active JWT signing key: run agentsec jwt keygen/);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  });

  test('keygen defaults to EdDSA with an RFC 7638 thumbprint kid', async () => {
    const r = await cli(home, ['--json', 'jwt', 'keygen'], { now: T0 });
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as { kid: string; alg: string; status: string; publicJwk: Record<string, string> };
    assert.equal(doc.alg, 'EdDSA');
    assert.equal(doc.status, 'active');
    const { calculateJwkThumbprint } = await import('jose');
    assert.equal(doc.kid, await calculateJwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x: doc.publicJwk['x'] as string }));
    assert.equal(doc.publicJwk['d'], undefined, 'no private member in the public JWK');
    edKid = doc.kid;
  });

  test('keygen refuses an unknown alg and a short HS256 secret', async () => {
    const bad = await cli(home, ['jwt', 'keygen', '--alg', 'none']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--alg: 'none' is not supported/);
    const file = `${home}/../short.secret`;
    writeFileSync(file, 'x'.repeat(31));
    const short = await cli(home, ['jwt', 'keygen', '--alg', 'HS256', '--secret-file', file]);
    assert.equal(short.code, 2);
    assert.match(short.stderr, /shorter than 32 bytes/);
    assert.ok(!short.stderr.includes('x'.repeat(31)));
    const missing = await cli(home, ['jwt', 'keygen', '--alg', 'HS256', '--secret-file', `${home}/../nope`]);
    assert.equal(missing.code, 3);
    assert.match(missing.stderr, /cannot read secret file/);
    const wrongAlg = await cli(home, ['jwt', 'keygen', '--alg', 'ES256', '--secret-file', file]);
    assert.equal(wrongAlg.code, 2);
    const keys = JSON.parse((await cli(home, ['--json', 'jwt', 'keys'])).stdout) as { keys: unknown[] };
    assert.equal(keys.keys.length, 1, 'no failed keygen left a key behind');
  });

  test('an access token verifies, with exp/iat/nbf/jti and typ at+jwt', async () => {
    const doc = await issue(['--sub', 'alice', '--aud', 'api', '--iss', 'https://auth.example', '--scope', 'memory:read', '--role', 'viewer', '--claim', 'tenant=acme']);
    assert.equal(doc.kid, edKid);
    const v = await verify(doc.accessToken, ['--aud', 'api', '--iss', 'https://auth.example', '--scope', 'memory:read']);
    assert.equal(v.code, 0, v.reason);
    const c = v.claims as Record<string, unknown>;
    assert.equal(c['sub'], 'alice');
    assert.equal(c['tenant'], 'acme');
    assert.equal(c['exp'], T0.getTime() / 1000 + 900);
    assert.equal(c['nbf'], c['iat']);
    assert.equal(c['jti'], doc.jti);
    const header = JSON.parse(Buffer.from(doc.accessToken.split('.')[0] as string, 'base64url').toString()) as Record<string, string>;
    assert.deepEqual(header, { alg: 'EdDSA', kid: edKid, typ: 'at+jwt' });
    assert.equal((await verify(doc.accessToken, ['--aud', 'other'])).reason, 'wrong-audience');
    assert.equal((await verify(doc.accessToken, ['--iss', 'https://evil.example'])).reason, 'wrong-issuer');
    assert.equal((await verify(doc.accessToken, [], at(15 * 60_000 + 31_000))).reason, 'expired');
    assert.equal((await verify(doc.accessToken, [], at(-31_000))).reason, 'not-yet-valid');
    assert.equal((await verify(doc.accessToken, ['--scope', 'secret:read'])).reason, 'insufficient-scope');
    assert.equal((await verify(doc.accessToken, ['--refresh'])).reason, 'wrong-type');
  });

  test('issue refuses bad input before touching the store', async () => {
    for (const [args, re] of [
      [['--aud', 'api'], /--sub is required/],
      [['--sub', 'a', '--ttl', '2d'], /--ttl is longer than the allowed 24h/],
      [['--sub', 'a', '--ttl', 'soon'], /--ttl: invalid duration/],
      [['--sub', 'a', '--scope', 'everything'], /--scope/],
      [['--sub', 'a', '--role', 'god'], /--role/],
      [['--sub', 'a', '--claim', 'exp=1'], /--claim: 'exp' is set by agentsec/],
      [['--sub', 'a', '--claim', 'novalue'], /--claim/],
      [['--sub', 'a', '--refresh-ttl', '1d'], /--refresh-ttl needs --refresh/],
    ] as const) {
      const r = await cli(home, ['jwt', 'issue', ...args], { now: T0 });
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, re);
      assert.equal(r.stdout, '');
    }
  });

  test('verify bad input: malformed tokens exit 1 with no stack, missing token file exits 3', async () => {
    for (const t of ['a.b', 'a.b.c.d', '!!!.e30.sig', `${Buffer.from('nope').toString('base64url')}.e30.c2ln`]) {
      const r = await cli(home, ['jwt', 'verify'], { stdin: t });
      assert.equal(r.code, 1);
      assert.equal(r.stdout.trim(), 'malformed');
      assert.ok(!/\n\s+at /.test(r.stderr), 'no stack trace');
    }
    const d = await cli(home, ['jwt', 'decode'], { stdin: 'a.b' });
    assert.equal(d.code, 1);
    assert.equal(d.stdout.trim(), 'malformed');
    const missing = await cli(home, ['jwt', 'verify', '--token-file', `${home}/missing`]);
    assert.equal(missing.code, 3);
    assert.match(missing.stderr, /cannot read token file/);
    const empty = await cli(home, ['jwt', 'verify'], { stdin: '\n' });
    assert.equal(empty.code, 2);
    const badAge = await cli(home, ['jwt', 'verify', '--max-age', 'x'], { stdin: 'a.b.c' });
    assert.equal(badAge.code, 2);
  });

  test('decode prints header and claims under a not-verified warning', async () => {
    const doc = await issue(['--sub', 'bob']);
    const r = await cli(home, ['jwt', 'decode'], { stdin: doc.accessToken });
    assert.equal(r.code, 0);
    assert.match(r.stderr, /not verified/);
    const out = JSON.parse(r.stdout) as { header: { kid: string }; claims: { sub: string } };
    assert.equal(out.claims.sub, 'bob');
  });

  test('refresh rotates the pair; reusing a refresh token revokes the whole family', async () => {
    const first = await issue(['--sub', 'carol', '--refresh']);
    assert.ok(first.refreshToken);
    assert.equal((await verify(first.refreshToken as string)).reason, 'wrong-type', 'a refresh token is not an access token');
    assert.equal((await verify(first.refreshToken as string, ['--refresh'])).code, 0);
    const r1 = await cli(home, ['--json', 'jwt', 'refresh'], { stdin: first.refreshToken as string, now: at(60_000) });
    assert.equal(r1.code, 0, r1.stderr);
    const second = JSON.parse(r1.stdout) as IssueDoc;
    assert.notEqual(second.refreshToken, first.refreshToken);
    assert.equal((await verify(second.accessToken, [], at(60_000))).claims?.['sub'], 'carol');
    const refreshed = await cli(home, ['jwt', 'refresh'], { stdin: first.accessToken, now: at(60_000) });
    assert.equal(refreshed.code, 1, 'an access token cannot refresh');
    assert.equal(refreshed.stdout.trim(), 'wrong-type');
    // Replaying the first refresh token: reuse, the family (including the new pair) is revoked.
    const replay = await cli(home, ['jwt', 'refresh'], { stdin: first.refreshToken as string, now: at(120_000) });
    assert.equal(replay.code, 1);
    assert.equal(replay.stdout.trim(), 'reused');
    assert.equal((await verify(second.accessToken, [], at(120_000))).reason, 'revoked');
    assert.equal((await verify(second.refreshToken as string, ['--refresh'], at(120_000))).reason, 'revoked');
    assert.equal((await cli(home, ['jwt', 'refresh'], { stdin: second.refreshToken as string, now: at(130_000) })).code, 1);
  });

  test('revoke by jti and by subject', async () => {
    const a = await issue(['--sub', 'dave']);
    const b = await issue(['--sub', 'dave']);
    const r = await cli(home, ['jwt', 'revoke', '--jti', a.jti], { now: at(1000) });
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await verify(a.accessToken, [], at(2000))).reason, 'revoked');
    assert.equal((await verify(b.accessToken, [], at(2000))).code, 0);
    assert.equal((await cli(home, ['jwt', 'revoke', '--sub', 'dave'], { now: at(3000) })).code, 0);
    assert.equal((await verify(b.accessToken, [], at(4000))).reason, 'revoked');
    const later = await issue(['--sub', 'dave'], at(5000));
    assert.equal((await verify(later.accessToken, [], at(6000))).code, 0, 'tokens issued after a subject revocation verify');
    assert.equal((await cli(home, ['jwt', 'revoke'])).code, 2);
    assert.equal((await cli(home, ['jwt', 'revoke', '--jti', 'x', '--sub', 'y'])).code, 2);
  });

  test('revoke --sub, then log in again at the same frozen instant: the earlier tokens are dead, the new ones valid, 8 of 8', async () => {
    const t = at(10_000);
    let before = await issue(['--sub', 'grace', '--refresh'], t);
    for (let i = 0; i < 8; i++) {
      assert.equal((await cli(home, ['jwt', 'revoke', '--sub', 'grace'], { now: t })).code, 0);
      const after = await issue(['--sub', 'grace', '--refresh'], t);
      assert.deepEqual(
        [
          (await verify(before.accessToken, [], t)).reason,
          (await verify(before.refreshToken as string, ['--refresh'], t)).reason,
          (await verify(after.accessToken, [], t)).code,
          (await verify(after.refreshToken as string, ['--refresh'], t)).code,
        ],
        ['revoked', 'revoked', 0, 0],
        `run ${i + 1}`,
      );
      before = after;
    }
    // A refresh after the revocation carries the new state too: the pair it mints is valid, the old pair is not.
    const refreshed = await cli(home, ['--json', 'jwt', 'refresh'], { stdin: before.refreshToken as string, now: t });
    assert.equal(refreshed.code, 0, refreshed.stderr);
    const pair = JSON.parse(refreshed.stdout) as IssueDoc;
    assert.equal((await cli(home, ['jwt', 'revoke', '--sub', 'grace'], { now: t })).code, 0);
    assert.equal((await verify(pair.accessToken, [], t)).reason, 'revoked');
    // A revocation from a clock that is behind still raises the mark.
    const last = await issue(['--sub', 'grace'], t);
    assert.equal((await cli(home, ['jwt', 'revoke', '--sub', 'grace'], { now: at(5_000) })).code, 0);
    assert.equal((await verify(last.accessToken, [], t)).reason, 'revoked');
  });

  test('a refresh token verified just before a subject revocation cannot mint a pair after it', async () => {
    const t = at(20_000);
    const first = await issue(['--sub', 'heidi', '--refresh'], t);
    const { openJwt, checkToken, verifyRing, rotateRefresh } = await import('../../../src/services/jwt.js');
    const { libraryRuntime } = await import('../../../src/lib/runtime.js');
    const svc = await openJwt({ ...libraryRuntime(home), clock: () => t }, { audit: true });
    try {
      const v = await checkToken(svc, first.refreshToken as string, await verifyRing(svc, t.getTime()), { now: t.getTime(), kind: 'refresh', issuer: undefined, audience: [], clockToleranceS: 30 });
      assert.equal(v.valid, true);
      // The revocation lands between the verification and the rotation (another process, a second later).
      assert.equal((await cli(home, ['jwt', 'revoke', '--sub', 'heidi'], { now: at(21_000) })).code, 0);
      const rotated = await rotateRefresh(svc, v.claims as Record<string, unknown>, { accessTtlMs: 900_000, refreshTtlMs: 86_400_000 }, at(22_000).getTime());
      assert.equal(rotated.ok, false);
    } finally {
      await svc.close();
    }
  });

  test('a second key signs; retire keeps the old one verifying until its tokens expire, then drops it from the JWKS', async () => {
    const old = await issue(['--sub', 'erin', '--ttl', '10m']);
    const es = await cli(home, ['--json', 'jwt', 'keygen', '--alg', 'ES256'], { now: at(1000) });
    const esKid = (JSON.parse(es.stdout) as { kid: string }).kid;
    const fresh = await issue(['--sub', 'erin'], at(2000));
    assert.equal(fresh.kid, esKid, 'the newest active key signs');
    const retire = await cli(home, ['--json', 'jwt', 'keys', 'retire', '--', edKid], { now: at(3000) });
    assert.equal(retire.code, 0, retire.stderr);
    assert.equal((JSON.parse(retire.stdout) as { status: string }).status, 'retiring');
    assert.equal((await verify(old.accessToken, [], at(4000))).code, 0, 'a retiring key still verifies');
    const jwks = (n: Date) => cli(home, ['jwt', 'jwks'], { now: n }).then((x) => (JSON.parse(x.stdout) as { keys: Array<{ kid: string; d?: string }> }).keys);
    assert.deepEqual((await jwks(at(4000))).map((k) => k.kid).sort(), [edKid, esKid].sort());
    // Past the latest exp the old key signed (the 7-day refresh tokens above) plus tolerance: retired.
    const later = at(8 * 86_400_000);
    assert.deepEqual((await jwks(later)).map((k) => k.kid), [esKid]);
    const list = JSON.parse((await cli(home, ['--json', 'jwt', 'keys'], { now: later })).stdout) as { keys: Array<{ kid: string; status: string }> };
    assert.equal(list.keys.find((k) => k.kid === edKid)?.status, 'retired');
    assert.equal((await cli(home, ['jwt', 'keys', 'retire', 'nope'])).code, 2);
    assert.ok((await jwks(later)).every((k) => k.d === undefined));
  });

  test('jwks --output writes the public set atomically (0644); an unwritable path exits 3 and writes nothing', async () => {
    const file = `${home}/../jwks.json`;
    const r = await cli(home, ['jwt', 'jwks', '--output', file], { now: T0 });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    const set = JSON.parse(readFileSync(file, 'utf8')) as { keys: Array<{ kid: string; use: string; d?: string }> };
    assert.ok(set.keys.length >= 1);
    assert.ok(set.keys.every((k) => k.use === 'sig' && k.d === undefined));
    assert.equal(statSync(file).mode & 0o777, 0o644);
    const bad = await cli(home, ['jwt', 'jwks', '--output', `${home}/no/such/dir/jwks.json`], { now: T0 });
    assert.equal(bad.code, 3);
    assert.equal(bad.stderr.trim().split('\n').length, 1);
  });
});

test('jwt verify on a terminal asks for the token with a masked prompt', async () => {
  const t = await initHome();
  try {
    assert.equal((await cli(t.home, ['jwt', 'keygen', '--alg', 'EdDSA'], { now: T0 })).code, 0);
    const issued = JSON.parse((await cli(t.home, ['--json', 'jwt', 'issue', '--sub', 'alice'], { now: T0 })).stdout) as IssueDoc;
    const asked: string[] = [];
    const io = fakeIo({ stdin: 'ignored', stdinTTY: true });
    const code = await run(['--home', t.home, '--json', 'jwt', 'verify'], io, { ctxOverrides: { clock: () => T0, prompt: async (m) => (asked.push(m), issued.accessToken) } });
    assert.equal(code, 0, io.err());
    assert.deepEqual(asked, ['Token:']);
    assert.equal((JSON.parse(io.out()) as { claims: { sub: string } }).claims.sub, 'alice');
  } finally {
    t.cleanup();
  }
});
