import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SecretEvent } from '../../../src/store/secrets.js';
import { withStore, type StoreFactory } from './fixture.js';

const ev = (over: Partial<SecretEvent>): SecretEvent => ({ file: '/srv/a/.env', name: 'JWT_SECRET', kind: 'env', action: 'rotated', fingerprint: 'fp1', at: '2026-11-01T00:00:00.000Z', ...over });

export function secretsContract(backend: string, factory: StoreFactory): void {
  test(`${backend} secrets: the last rotation or creation counts, dropped-previous does not; tracked lists the latest per file and name`, () =>
    withStore(factory, async ({ store }) => {
      assert.equal(await store.secrets.lastRotation('/srv/a/.env', 'JWT_SECRET'), undefined);
      await store.transaction(async (tx) => {
        await tx.secrets.record([ev({ action: 'created', at: '2026-10-01T00:00:00.000Z', fingerprint: 'fp0' })]);
        await tx.secrets.record([ev({}), ev({ action: 'dropped-previous', fingerprint: null, at: '2026-12-01T00:00:00.000Z' })]);
        await tx.secrets.record([ev({ file: '/srv/b/secret', name: 'secret', kind: 'secret-file', at: '2026-11-05T00:00:00.000Z', fingerprint: 'fpb' })]);
      });
      assert.equal((await store.secrets.lastRotation('/srv/a/.env', 'JWT_SECRET'))?.toISOString(), '2026-11-01T00:00:00.000Z');
      assert.equal(await store.secrets.lastRotation('/srv/a/.env', 'OTHER'), undefined);
      const tracked = await store.secrets.tracked();
      assert.deepEqual(tracked, [
        { file: '/srv/a/.env', name: 'JWT_SECRET', kind: 'env', lastRotatedAt: '2026-11-01T00:00:00.000Z', fingerprint: 'fp1', rotations: 2 },
        { file: '/srv/b/secret', name: 'secret', kind: 'secret-file', lastRotatedAt: '2026-11-05T00:00:00.000Z', fingerprint: 'fpb', rotations: 1 },
      ]);
    }));

  test(`${backend} secrets: events recorded in a rolled-back transaction are not there`, () =>
    withStore(factory, async ({ store }) => {
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.secrets.record([ev({})]);
          throw new Error('abort');
        }),
      );
      assert.deepEqual(await store.secrets.tracked(), []);
    }));
}
