import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import type { ApiKeyRecord } from '../../../src/core/apikeys/record.js';
import { withStore, type StoreFactory } from './fixture.js';

function rec(id: string, over: Partial<ApiKeyRecord> = {}): ApiKeyRecord {
  return {
    id, name: 'n', prefix: 'ask', last4: 'abcd', role: null, scopes: ['a:b'], allowIps: ['10.0.0.0/8'], meta: { k: 'v' },
    createdAt: 1000, expiresAt: null, revokedAt: null, revokeReason: null, lastUsedAt: null, rotatedFrom: null, rotatedTo: null, ...over,
  };
}

export function apiKeysContract(backend: string, factory: StoreFactory): void {
  test(`${backend} api keys: records round-trip, the HMAC is unique and found, last-used never moves back`, () =>
    withStore(factory, async ({ store }) => {
      const repo = store.keys;
      const h = randomBytes(32);
      await repo.insert(rec('key_a'), h);
      assert.deepEqual((await repo.findByHmac(h))?.record, rec('key_a'));
      assert.deepEqual((await repo.findByHmac(h))?.hmac, h);
      assert.equal(await repo.findByHmac(randomBytes(32)), undefined);
      await assert.rejects(repo.insert(rec('key_b'), h), /UNIQUE|unique|duplicate/);
      assert.equal(await repo.get('key_b'), undefined);
      await repo.touchLastUsed('key_a', 5000);
      await repo.touchLastUsed('key_a', 4000);
      assert.equal((await repo.get('key_a'))?.lastUsedAt, 5000);
    }));

  test(`${backend} api keys: the first revocation stands; lists are oldest first, active ones by expiry`, () =>
    withStore(factory, async ({ store }) => {
      const repo = store.keys;
      await repo.insert(rec('key_a'), randomBytes(32));
      assert.equal(await repo.revoke('key_a', 6000, 'r'), true);
      assert.equal(await repo.revoke('key_a', 7000, 'again'), false);
      assert.equal((await repo.get('key_a'))?.revokedAt, 6000);
      assert.equal((await repo.get('key_a'))?.revokeReason, 'r');
      assert.equal(await repo.revoke('key_missing', 6000, null), false);
      await repo.insert(rec('key_c', { expiresAt: 2000, createdAt: 1500 }), randomBytes(32));
      await repo.insert(rec('key_d', { createdAt: 1600 }), randomBytes(32));
      assert.deepEqual((await repo.list({ all: false, now: 1999 })).map((r) => r.id), ['key_c', 'key_d']);
      assert.deepEqual((await repo.list({ all: false, now: 2000 })).map((r) => r.id), ['key_d']);
      assert.deepEqual((await repo.list({ all: true, now: 2000 })).map((r) => r.id), ['key_a', 'key_c', 'key_d']);
    }));

  test(`${backend} api keys: expiry and rotation links are set`, () =>
    withStore(factory, async ({ store }) => {
      const repo = store.keys;
      await repo.insert(rec('key_old'), randomBytes(32));
      await repo.insert(rec('key_new', { rotatedFrom: 'key_old' }), randomBytes(32));
      await repo.setExpiry('key_old', 9000);
      await repo.setRotatedTo('key_old', 'key_new');
      const old = await repo.get('key_old');
      assert.equal(old?.expiresAt, 9000);
      assert.equal(old?.rotatedTo, 'key_new');
      assert.equal((await repo.get('key_new'))?.rotatedFrom, 'key_old');
    }));

  test(`${backend} api keys: a key inserted in a rolled-back transaction does not exist`, () =>
    withStore(factory, async ({ store }) => {
      const h = randomBytes(32);
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.keys.insert(rec('key_x'), h);
          throw new Error('abort');
        }),
      );
      assert.equal(await store.keys.get('key_x'), undefined);
      assert.equal(await store.keys.findByHmac(h), undefined);
    }));
}
