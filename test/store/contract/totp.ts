import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import type { NewTotpUser } from '../../../src/store/totp.js';
import { withStore, type StoreFactory } from './fixture.js';

function user(id: string, name: string, over: Partial<NewTotpUser> = {}): NewTotpUser {
  return { id, name, issuer: 'agentsec', algorithm: 'SHA256', digits: 8, period: 30, seedSealed: randomBytes(60), createdAt: 1000, ...over };
}

/** The TOTP repository: users and their status, the replay guard, backup codes, failures, all through the async interface. */
export function totpContract(backend: string, factory: StoreFactory): void {
  test(`${backend} totp: a user round-trips pending, names are unique, the list is by name, delete takes codes and failures along`, () =>
    withStore(factory, async ({ store }) => {
      const repo = store.totp;
      const u = user('totp_b', 'bob');
      await repo.insert(u);
      assert.deepEqual(await repo.byName('bob'), { ...u, status: 'pending', confirmedAt: null, lastUsedAt: null, lastStep: null, lockedUntil: null });
      assert.equal(await repo.byName('nobody'), undefined);
      await assert.rejects(repo.insert(user('totp_other', 'bob')), /UNIQUE|unique|duplicate/);
      await repo.insert(user('totp_a', 'alice'));
      assert.deepEqual((await repo.list()).map((x) => x.name), ['alice', 'bob']);
      await repo.replaceBackupCodes('totp_b', ['h0', 'h1']);
      await repo.recordFailure('totp_b', 2000, '192.0.2.1', 'invalid');
      assert.equal(await repo.delete('totp_b'), true);
      assert.equal(await repo.delete('totp_b'), false);
      assert.equal(await repo.byName('bob'), undefined);
      assert.equal(await repo.backupCodesLeft('totp_b'), 0);
      assert.deepEqual(await repo.failuresSince('totp_b', 0), []);
      // A new user under the freed name starts with nothing of the old one.
      await repo.insert(user('totp_b2', 'bob'));
      assert.equal((await repo.byName('bob'))?.id, 'totp_b2');
    }));

  test(`${backend} totp: activate only from pending, at the confirming step; the step guard only moves forward`, () =>
    withStore(factory, async ({ store }) => {
      const repo = store.totp;
      await repo.insert(user('totp_a', 'alice'));
      assert.equal(await repo.acceptStep('totp_a', 5, 1500), true, 'a pending user has no step yet');
      assert.equal(await repo.activate('totp_a', 2000, 10), true);
      assert.equal(await repo.activate('totp_a', 3000, 11), false, 'already active');
      const a = await repo.byName('alice');
      assert.deepEqual([a?.status, a?.confirmedAt, a?.lastUsedAt, a?.lastStep], ['active', 2000, 2000, 10]);
      assert.equal(await repo.acceptStep('totp_a', 10, 4000), false, 'the confirming step is spent');
      assert.equal(await repo.acceptStep('totp_a', 9, 4000), false, 'an older step never wins');
      assert.equal(await repo.acceptStep('totp_a', 12, 4000), true);
      assert.equal(await repo.acceptStep('totp_a', 12, 4001), false, 'the same step twice is a replay');
      assert.deepEqual([(await repo.byName('alice'))?.lastStep, (await repo.byName('alice'))?.lastUsedAt], [12, 4000]);
      await repo.touch('totp_a', 5000);
      assert.equal((await repo.byName('alice'))?.lastUsedAt, 5000);
      await repo.setLockedUntil('totp_a', 9000);
      assert.equal((await repo.byName('alice'))?.lockedUntil, 9000);
      await repo.setLockedUntil('totp_a', null);
      assert.equal((await repo.byName('alice'))?.lockedUntil, null);
      assert.equal(await repo.activate('totp_missing', 1, 1), false);
      assert.equal(await repo.acceptStep('totp_missing', 1, 1), false);
    }));

  test(`${backend} totp: the step guard is the stored state, shared by every connection: one step is accepted once`, () =>
    withStore(factory, async ({ store, connect }) => {
      await store.totp.insert(user('totp_a', 'alice'));
      await store.totp.activate('totp_a', 2000, 10);
      const connections = [store, await connect(), await connect()];
      // One after the other (connections of one process cannot hold the write lock at once without blocking it).
      const won: boolean[] = [];
      for (const s of connections) won.push(await s.transaction(async (tx) => tx.totp.acceptStep('totp_a', 11, 3000)));
      assert.deepEqual(won, [true, false, false]);
      assert.equal(await connections[2]?.totp.acceptStep('totp_a', 12, 3100), true);
      assert.equal(await store.totp.acceptStep('totp_a', 12, 3200), false);
    }));

  test(`${backend} totp: backup codes are replaced whole, listed unused by position, used once and only with their hash`, () =>
    withStore(factory, async ({ store }) => {
      const repo = store.totp;
      await repo.insert(user('totp_a', 'alice'));
      await repo.replaceBackupCodes('totp_a', ['h0', 'h1', 'h2']);
      assert.deepEqual(await repo.unusedBackupCodes('totp_a'), [{ idx: 0, hash: 'h0' }, { idx: 1, hash: 'h1' }, { idx: 2, hash: 'h2' }]);
      assert.equal(await repo.useBackupCode('totp_a', 1, 'other hash', 2000), false);
      assert.equal(await repo.useBackupCode('totp_a', 1, 'h1', 2000), true);
      assert.equal(await repo.useBackupCode('totp_a', 1, 'h1', 2001), false, 'a used code never works again');
      assert.deepEqual((await repo.unusedBackupCodes('totp_a')).map((r) => r.idx), [0, 2]);
      assert.equal(await repo.backupCodesLeft('totp_a'), 2);
      // A regeneration replaces every code: a match found against the old set no longer applies.
      await repo.replaceBackupCodes('totp_a', ['n0', 'n1']);
      assert.equal(await repo.useBackupCode('totp_a', 0, 'h0', 3000), false);
      assert.deepEqual(await repo.unusedBackupCodes('totp_a'), [{ idx: 0, hash: 'n0' }, { idx: 1, hash: 'n1' }]);
      assert.equal(await repo.backupCodesLeft('totp_a'), 2);
      assert.equal(await repo.backupCodesLeft('totp_missing'), 0);
    }));

  test(`${backend} totp: failures are counted after a time, later ones included, pruned up to a time and cleared per user`, () =>
    withStore(factory, async ({ store }) => {
      const repo = store.totp;
      await repo.insert(user('totp_a', 'alice'));
      await repo.insert(user('totp_b', 'bob'));
      for (const at of [100, 200, 300, 400]) await repo.recordFailure('totp_a', at, at % 200 === 0 ? null : '2001:db8::1', 'invalid');
      await repo.recordFailure('totp_b', 250, null, 'replayed');
      assert.deepEqual((await repo.failuresSince('totp_a', 200)).sort((x, y) => x - y), [300, 400]);
      assert.deepEqual((await repo.failuresSince('totp_a', 0)).sort((x, y) => x - y), [100, 200, 300, 400]);
      await repo.pruneFailures('totp_a', 200);
      assert.deepEqual((await repo.failuresSince('totp_a', 0)).sort((x, y) => x - y), [300, 400]);
      await repo.clearFailures('totp_a');
      assert.deepEqual(await repo.failuresSince('totp_a', 0), []);
      assert.deepEqual(await repo.failuresSince('totp_b', 0), [250], 'another user keeps its own');
    }));

  test(`${backend} totp: what a rolled-back transaction wrote is gone, and a committed one is seen by another connection`, () =>
    withStore(factory, async ({ store, connect }) => {
      await store.totp.insert(user('totp_a', 'alice'));
      await store.totp.activate('totp_a', 2000, 10);
      await assert.rejects(
        store.transaction(async (tx) => {
          assert.equal(await tx.totp.acceptStep('totp_a', 11, 3000), true);
          await tx.totp.recordFailure('totp_a', 3000, null, 'invalid');
          await tx.totp.setLockedUntil('totp_a', 9000);
          await tx.totp.replaceBackupCodes('totp_a', ['h0']);
          await tx.totp.insert(user('totp_x', 'xavier'));
          throw new Error('abort');
        }),
        /abort/,
      );
      const a = await store.totp.byName('alice');
      assert.deepEqual([a?.lastStep, a?.lockedUntil], [10, null]);
      assert.deepEqual(await store.totp.failuresSince('totp_a', 0), []);
      assert.equal(await store.totp.backupCodesLeft('totp_a'), 0);
      assert.equal(await store.totp.byName('xavier'), undefined);
      await store.transaction(async (tx) => {
        await tx.totp.acceptStep('totp_a', 11, 3000);
        await tx.totp.recordFailure('totp_a', 3000, null, 'invalid');
      });
      const other = await connect();
      assert.equal((await other.totp.byName('alice'))?.lastStep, 11);
      assert.deepEqual(await other.totp.failuresSince('totp_a', 0), [3000]);
    }));
}
