import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import type { CredentialRecord } from '../../../src/store/serve-credentials.js';
import { withStore, type StoreFactory } from './fixture.js';

function rec(id: string, over: Partial<CredentialRecord> = {}): CredentialRecord {
  return { id, kind: 'app', name: id, last4: 'wxyz', scopes: ['keys:verify', 'blocks:check'], createdAt: 1000, revokedAt: null, lastUsedAt: null, ...over };
}

/** The serve credentials repository (app tokens, bouncer keys and their pull state), through its async interface. */
export function serveCredentialsContract(backend: string, factory: StoreFactory): void {
  test(`${backend} serve credentials: records round-trip; the HMAC and the name per kind are unique`, () =>
    withStore(factory, async ({ store }) => {
      const repo = store.serveCredentials;
      const h = randomBytes(32);
      await repo.insert(rec('crd_a', { name: 'web' }), h);
      assert.deepEqual((await repo.findByHmac(h))?.record, rec('crd_a', { name: 'web' }));
      assert.deepEqual((await repo.findByHmac(h))?.hmac, h);
      assert.equal(await repo.findByHmac(randomBytes(32)), undefined);
      await assert.rejects(repo.insert(rec('crd_b', { name: 'other' }), h), /UNIQUE|unique|duplicate/);
      await assert.rejects(repo.insert(rec('crd_c', { name: 'web' }), randomBytes(32)), /UNIQUE|unique|duplicate/);
      // The same name under the other kind is another credential.
      await repo.insert(rec('crd_d', { name: 'web', kind: 'bouncer', scopes: [] }), randomBytes(32));
      assert.equal((await repo.byName('bouncer', 'web'))?.id, 'crd_d');
      assert.equal((await repo.byName('app', 'web'))?.id, 'crd_a');
      assert.equal(await repo.byName('app', 'nope'), undefined);
    }));

  test(`${backend} serve credentials: revocation is once, delete says whether it did, lists are per kind and oldest first`, () =>
    withStore(factory, async ({ store }) => {
      const repo = store.serveCredentials;
      await repo.insert(rec('crd_2', { createdAt: 2000 }), randomBytes(32));
      await repo.insert(rec('crd_1', { createdAt: 1000 }), randomBytes(32));
      await repo.insert(rec('crd_b', { kind: 'bouncer', scopes: [] }), randomBytes(32));
      assert.deepEqual((await repo.list('app', { all: false })).map((r) => r.id), ['crd_1', 'crd_2']);
      assert.equal(await repo.revoke('crd_1', 5000), true);
      assert.equal(await repo.revoke('crd_1', 6000), false);
      assert.equal(await repo.revoke('crd_none', 6000), false);
      assert.equal((await repo.byName('app', 'crd_1'))?.revokedAt, 5000);
      assert.deepEqual((await repo.list('app', { all: false })).map((r) => r.id), ['crd_2']);
      assert.deepEqual((await repo.list('app', { all: true })).map((r) => r.id), ['crd_1', 'crd_2']);
      assert.deepEqual((await repo.list('bouncer', { all: true })).map((r) => r.id), ['crd_b']);
      assert.equal(await repo.delete('crd_b'), true);
      assert.equal(await repo.delete('crd_b'), false);
      assert.deepEqual(await repo.list('bouncer', { all: true }), []);
    }));

  test(`${backend} serve credentials: last-used never moves back; the pull state is kept and seen by another connection`, () =>
    withStore(factory, async ({ store, connect }) => {
      const repo = store.serveCredentials;
      await repo.insert(rec('crd_b', { kind: 'bouncer', scopes: [] }), randomBytes(32));
      await repo.touchLastUsed('crd_b', 5000);
      await repo.touchLastUsed('crd_b', 4000);
      assert.equal((await repo.byName('bouncer', 'crd_b'))?.lastUsedAt, 5000);
      assert.equal(await repo.pullState('crd_b'), undefined);
      await store.transaction((tx) => tx.serveCredentials.setPullState('crd_b', { at: 7000, eventId: 42 }));
      assert.deepEqual({ ...(await repo.pullState('crd_b')) }, { at: 7000, eventId: 42 });
      const other = await connect();
      assert.deepEqual({ ...(await other.serveCredentials.pullState('crd_b')) }, { at: 7000, eventId: 42 });
      assert.equal(await repo.pullState('crd_none'), undefined);
    }));
}
