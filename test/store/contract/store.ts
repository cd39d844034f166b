import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withStore, type StoreFactory } from './fixture.js';

/** The Store's own guarantees: transactions, savepoints, after-commit hooks, isolation in-process, change feed. */
export function storeContract(backend: string, factory: StoreFactory): void {
  test(`${backend} store: a transaction commits all of its writes, or none when it throws`, () =>
    withStore(factory, async ({ store }) => {
      await store.transaction(async (tx) => {
        await tx.meta.set('a', '1');
        await tx.meta.set('b', '2');
      });
      assert.equal(await store.meta.get('a'), '1');
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.meta.set('a', 'changed');
          await tx.meta.set('c', '3');
          throw new Error('boom');
        }),
        /boom/,
      );
      assert.equal(await store.meta.get('a'), '1');
      assert.equal(await store.meta.get('c'), undefined);
    }));

  test(`${backend} store: a transaction returns its value and a failed one leaves the store usable`, () =>
    withStore(factory, async ({ store }) => {
      await assert.rejects(store.transaction(async () => Promise.reject(new Error('first'))), /first/);
      assert.equal(await store.transaction(async (tx) => (await tx.meta.setIfAbsent('k', 'v')) && 'done'), 'done');
      assert.equal(await store.meta.setIfAbsent('k', 'other'), false);
    }));

  test(`${backend} store: a savepoint undoes only its own writes`, () =>
    withStore(factory, async ({ store }) => {
      await store.transaction(async (tx) => {
        await tx.meta.set('outer', '1');
        await assert.rejects(
          tx.savepoint(async (inner) => {
            await inner.meta.set('inner', '1');
            throw new Error('inner failed');
          }),
          /inner failed/,
        );
        assert.equal(await tx.meta.get('inner'), undefined);
        assert.equal(await tx.savepoint(async (inner) => (await inner.meta.set('kept', '1'), 'ok')), 'ok');
      });
      assert.equal(await store.meta.get('outer'), '1');
      assert.equal(await store.meta.get('inner'), undefined);
      assert.equal(await store.meta.get('kept'), '1');
    }));

  test(`${backend} store: after-commit hooks run after a commit, never after a rollback`, () =>
    withStore(factory, async ({ store }) => {
      const ran: string[] = [];
      await store.transaction(async (tx) => {
        tx.afterCommit(() => ran.push('committed'));
        assert.deepEqual(ran, []);
      });
      assert.deepEqual(ran, ['committed']);
      await assert.rejects(
        store.transaction(async (tx) => {
          tx.afterCommit(() => ran.push('rolled back'));
          throw new Error('no');
        }),
      );
      assert.deepEqual(ran, ['committed']);
    }));

  test(`${backend} store: no task of the process sees another's uncommitted writes, and transactions serialise`, () =>
    withStore(factory, async ({ store }) => {
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let entered!: () => void;
      const inside = new Promise<void>((r) => (entered = r));
      const first = store
        .transaction(async (tx) => {
          await tx.meta.set('x', 'uncommitted');
          entered();
          await held;
          throw new Error('rolled back');
        })
        .catch((e: Error) => e.message);
      await inside;
      // Both wait for the open transaction instead of reading or writing into it.
      const read = store.meta.get('x');
      const second = store.transaction(async (tx) => {
        await tx.meta.set('y', String(await tx.meta.get('x')));
      });
      await new Promise((r) => setTimeout(r, 20));
      release();
      assert.equal(await first, 'rolled back');
      assert.equal(await read, undefined);
      await second;
      assert.equal(await store.meta.get('y'), 'undefined');
    }));

  test(`${backend} store: concurrent transactions in one process lose no update`, () =>
    withStore(factory, async ({ store }) => {
      await store.meta.set('n', '0');
      await Promise.all(
        Array.from({ length: 50 }, () =>
          store.transaction(async (tx) => {
            const n = Number(await tx.meta.get('n'));
            await new Promise((r) => setImmediate(r));
            await tx.meta.set('n', String(n + 1));
          }),
        ),
      );
      assert.equal(await store.meta.get('n'), '50');
    }));

  test(`${backend} store: the change feed moves after own commits and after another connection's`, () =>
    withStore(factory, async ({ store, connect }) => {
      const other = await connect();
      try {
        const v0 = store.changes.version();
        assert.equal(store.changes.version(), v0, 'nothing committed: the version stays');
        await store.transaction(async (tx) => tx.meta.set('a', '1'));
        const v1 = store.changes.version();
        assert.notEqual(v1, v0, 'own commit');
        const seen = new Promise<void>((resolve) => {
          const stop = store.changes.subscribe(
            () => {
              stop();
              resolve();
            },
            { intervalMs: 10 },
          );
        });
        await other.transaction(async (tx) => tx.meta.set('b', '2'));
        // The feed's timer never keeps a process alive; this test's own timer does, until the listener fires.
        const keepAlive = setTimeout(() => {}, 10_000);
        await seen;
        clearTimeout(keepAlive);
        assert.notEqual(store.changes.version(), v1, 'other connection commit');
        assert.equal(await store.meta.get('b'), '2');
      } finally {
        await other.close();
      }
    }));

  test(`${backend} store: a failed transaction does not move the change feed`, () =>
    withStore(factory, async ({ store }) => {
      const v0 = store.changes.version();
      await assert.rejects(store.transaction(async (tx) => (await tx.meta.set('a', '1'), Promise.reject(new Error('x')))));
      assert.equal(store.changes.version(), v0);
    }));

  test(`${backend} store: reports its schema version`, () =>
    withStore(factory, async ({ store }) => {
      assert.ok((await store.schemaVersion()) >= 1);
      assert.ok(store.location.length > 0);
    }));
}

/** A snapshot sees one state of the store while another connection commits. */
export function snapshotContract(backend: string, factory: StoreFactory): void {
  test(`${backend} store: a snapshot reads one state, whatever another connection commits meanwhile`, () =>
    withStore(factory, async ({ store, connect }) => {
      const other = await connect();
      try {
        await store.meta.set('a', '1');
        const seen = await store.snapshot(async (view) => {
          const first = await view.meta.get('a');
          await other.transaction(async (tx) => tx.meta.set('a', '2'));
          return [first, await view.meta.get('a')];
        });
        assert.deepEqual(seen, ['1', '1']);
        assert.equal(await store.meta.get('a'), '2');
      } finally {
        await other.close();
      }
    }));
}
