import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import type { PublicJwk } from '../../../src/core/jwt/key-material.js';
import type { IssuedTokenRow, NewJwtKey } from '../../../src/store/jwt.js';
import { withStore, type StoreFactory } from './fixture.js';

const JWK = { kty: 'OKP', crv: 'Ed25519', x: 'x-coordinate', kid: 'k', alg: 'EdDSA', use: 'sig' } as unknown as PublicJwk;

function key(kid: string, over: Partial<NewJwtKey> = {}): NewJwtKey {
  return { kid, alg: 'EdDSA', createdAt: 1000, publicJwk: { ...JWK, kid }, privateSealed: randomBytes(60), ...over };
}

function token(jti: string, over: Partial<Omit<IssuedTokenRow, 'usedAt' | 'replacedBy'>> = {}): Omit<IssuedTokenRow, 'usedAt' | 'replacedBy'> {
  return { jti, kind: 'access', sub: 'alice', kid: 'k1', family: null, issuedAt: 1000, expiresAt: 10_000, ...over };
}

/** The JWT repository: keyring, token ledger, revocations and subject marks, all through the async interface. */
export function jwtContract(backend: string, factory: StoreFactory): void {
  test(`${backend} jwt: keys round-trip oldest first, kids are unique, HMAC keys are found, retiring is once, expiries only rise`, () =>
    withStore(factory, async ({ store }) => {
      const repo = store.jwt;
      assert.deepEqual(await repo.keys(), []);
      assert.equal(await repo.hasHmacKey(), false);
      assert.equal(await repo.latestExpiry(), null);
      await repo.insertKey(key('k1'));
      await repo.insertKey(key('k2', { alg: 'HS256', publicJwk: null, createdAt: 2000 }));
      await repo.insertKey(key('k0', { alg: 'ES256', createdAt: 500 }));
      assert.deepEqual((await repo.keys()).map((k) => k.kid), ['k0', 'k1', 'k2']);
      const k1 = key('k1');
      await assert.rejects(repo.insertKey(k1), /UNIQUE|unique|duplicate|PRIMARY/);
      const stored = await repo.key('k2');
      assert.deepEqual([stored?.alg, stored?.publicJwk, stored?.retiredAt, stored?.lastExp], ['HS256', null, null, null]);
      assert.deepEqual((await repo.key('k1'))?.publicJwk, { ...JWK, kid: 'k1' });
      assert.equal(await repo.key('nope'), undefined);
      assert.equal(await repo.hasHmacKey(), true);
      assert.equal(await repo.retire('k1', 3000), true);
      assert.equal(await repo.retire('k1', 4000), false);
      assert.equal((await repo.key('k1'))?.retiredAt, 3000);
      assert.equal(await repo.retire('nope', 4000), false);
      await repo.noteSigned('k1', 9000);
      await repo.noteSigned('k1', 8000);
      await repo.noteSigned('k2', 7000);
      assert.equal((await repo.key('k1'))?.lastExp, 9000);
      assert.equal(await repo.latestExpiry(), 9000);
    }));

  test(`${backend} jwt: the ledger keeps tokens by jti and family; a refresh token is marked used once`, () =>
    withStore(factory, async ({ store }) => {
      const repo = store.jwt;
      await repo.insertToken(token('a1'));
      await repo.insertToken(token('r1', { kind: 'refresh', family: 'f1', expiresAt: 20_000 }));
      await repo.insertToken(token('a2', { family: 'f1', sub: 'bob' }));
      await repo.insertToken(token('r2', { kind: 'refresh', family: 'f2' }));
      assert.deepEqual(await repo.token('a1'), { ...token('a1'), usedAt: null, replacedBy: null });
      assert.equal(await repo.token('nope'), undefined);
      assert.deepEqual((await repo.familyTokens('f1')).map((t) => t.jti).sort(), ['a2', 'r1']);
      assert.deepEqual(await repo.familyTokens('none'), []);
      assert.equal(await repo.markUsed('r1', 5000, 'r9'), true);
      assert.equal(await repo.markUsed('r1', 5001, 'r10'), false, 'the second use loses');
      const used = await repo.token('r1');
      assert.deepEqual([used?.usedAt, used?.replacedBy], [5000, 'r9']);
      assert.equal(await repo.markUsed('nope', 5000, 'x'), false);
      await assert.rejects(repo.insertToken(token('a1')), /UNIQUE|unique|duplicate|PRIMARY/);
    }));

  test(`${backend} jwt: revocations deny a jti, or a subject from its mark on; the mark only grows, by 1 when time does not`, () =>
    withStore(factory, async ({ store }) => {
      const repo = store.jwt;
      assert.equal(await repo.subjectMark('alice'), 0);
      assert.equal(await repo.isRevoked('j1', 'alice', 0), false);
      await repo.revoke('jti', 'j1', 1000, 50_000);
      assert.equal(await repo.isRevoked('j1', undefined, 0), true);
      assert.equal(await repo.isRevoked('j2', undefined, 0), false);
      assert.equal(await repo.isRevoked(undefined, undefined, 0), false);
      await repo.revoke('sub', 'alice', 5000, 50_000);
      assert.equal(await repo.subjectMark('alice'), 5000);
      assert.equal(await repo.isRevoked(undefined, 'alice', 5000), true, 'a token issued under an older mark');
      assert.equal(await repo.isRevoked(undefined, 'alice', 5001), false, 'a token issued under this mark');
      assert.equal(await repo.isRevoked(undefined, 'bob', 0), false);
      await repo.revoke('sub', 'alice', 5000, 40_000);
      assert.equal(await repo.subjectMark('alice'), 5001, 'the same millisecond still raises the mark');
      await repo.revoke('sub', 'alice', 1, 40_000);
      assert.equal(await repo.subjectMark('alice'), 5002, 'a clock that went back still raises it');
      await repo.revoke('sub', 'alice', 9000, 40_000);
      assert.equal(await repo.subjectMark('alice'), 9000);
      assert.equal(await repo.subjectMark('j1'), 0, 'a jti entry is no subject mark');
    }));

  test(`${backend} jwt: purge forgets tokens and revocations that expired before a time, keeping a raised expiry`, () =>
    withStore(factory, async ({ store }) => {
      const repo = store.jwt;
      await repo.insertToken(token('old', { expiresAt: 1000 }));
      await repo.insertToken(token('new', { expiresAt: 3000 }));
      await repo.revoke('jti', 'old', 500, 1000);
      await repo.revoke('sub', 'kept', 500, 1000);
      await repo.revoke('sub', 'kept', 600, 5000);
      await repo.purge(2000);
      assert.equal(await repo.token('old'), undefined);
      assert.ok(await repo.token('new'));
      assert.equal(await repo.isRevoked('old', undefined, 0), false);
      assert.equal(await repo.isRevoked(undefined, 'kept', 0), true, 'its expiry was raised to the later one');
      await repo.purge(6000);
      assert.equal(await repo.isRevoked(undefined, 'kept', 0), false);
    }));

  test(`${backend} jwt: what a rolled-back transaction wrote is gone, and a committed one is seen by another connection`, () =>
    withStore(factory, async ({ store, connect }) => {
      await store.jwt.insertKey(key('k1'));
      await store.jwt.insertToken(token('r1', { kind: 'refresh', family: 'f1' }));
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.jwt.insertKey(key('k2', { alg: 'HS256', publicJwk: null }));
          await tx.jwt.retire('k1', 2000);
          await tx.jwt.noteSigned('k1', 9000);
          assert.equal(await tx.jwt.markUsed('r1', 2000, 'r2'), true);
          await tx.jwt.insertToken(token('r2', { kind: 'refresh', family: 'f1' }));
          await tx.jwt.revoke('sub', 'alice', 2000, 9000);
          throw new Error('abort');
        }),
        /abort/,
      );
      assert.deepEqual((await store.jwt.keys()).map((k) => [k.kid, k.retiredAt, k.lastExp]), [['k1', null, null]]);
      assert.equal(await store.jwt.hasHmacKey(), false);
      assert.equal((await store.jwt.token('r1'))?.usedAt, null);
      assert.equal(await store.jwt.token('r2'), undefined);
      assert.equal(await store.jwt.subjectMark('alice'), 0);
      await store.transaction(async (tx) => {
        await tx.jwt.revoke('sub', 'alice', 2000, 9000);
        await tx.jwt.markUsed('r1', 2000, 'r2');
      });
      const other = await connect();
      assert.equal(await other.jwt.subjectMark('alice'), 2000);
      assert.equal(await other.jwt.markUsed('r1', 3000, 'r3'), false, 'the use committed by the first connection counts');
    }));

  test(`${backend} jwt: external issuers own their keys; the denylist is read whole; a key can be dropped`, () =>
    withStore(factory, async ({ store }) => {
      const repo = store.jwt;
      assert.deepEqual(await repo.issuers(), []);
      await repo.putIssuer({ name: 'kc', kind: 'jwks', issuer: 'https://sso', audience: ['api', 'web'], createdAt: 1000, updatedAt: 1000 });
      await repo.putIssuer({ name: 'kc', kind: 'jwks', issuer: 'https://sso', audience: ['api'], createdAt: 5000, updatedAt: 2000 });
      assert.deepEqual(await repo.issuer('kc'), { name: 'kc', kind: 'jwks', issuer: 'https://sso', audience: ['api'], createdAt: 1000, updatedAt: 2000 }, 'an update keeps createdAt');
      await repo.putIssuer({ name: 'mem', kind: 'secret', issuer: null, audience: null, createdAt: 1000, updatedAt: 1000 });
      await repo.insertKey(key('own'));
      await repo.insertKey(key('kc-1', { issuerName: 'kc', privateSealed: Buffer.alloc(0) }));
      await repo.insertKey(key('kc-2', { issuerName: 'kc', privateSealed: Buffer.alloc(0) }));
      await repo.insertKey(key('mem-1', { alg: 'HS256', publicJwk: null, issuerName: 'mem' }));
      assert.deepEqual((await repo.keys()).map((k) => [k.kid, k.issuerName]), [['own', null], ['kc-1', 'kc'], ['kc-2', 'kc'], ['mem-1', 'mem']]);
      assert.equal(await repo.deleteKey('kc-1'), true);
      assert.equal(await repo.deleteKey('kc-1'), false);
      assert.equal(await repo.deleteIssuer('kc'), true);
      assert.equal(await repo.deleteIssuer('kc'), false);
      assert.deepEqual((await repo.keys()).map((k) => k.kid), ['own', 'mem-1'], "removing an issuer removes its keys, and only its");
      assert.deepEqual((await repo.issuers()).map((i) => i.name), ['mem']);

      await repo.revoke('jti', 'j1', 1000, 5000);
      await repo.revoke('sub', 'alice', 2000, 9000);
      await repo.revoke('jti', 'old', 100, 900);
      const rows = (await repo.revocations(1000)).sort((a, b) => a.value.localeCompare(b.value));
      assert.deepEqual(rows, [
        { kind: 'sub', value: 'alice', revokedAt: 2000, expiresAt: 9000 },
        { kind: 'jti', value: 'j1', revokedAt: 1000, expiresAt: 5000 },
      ], 'entries that expired before now are left out');
    }));
}
