import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withStore, type StoreFactory } from './fixture.js';

/** The audit chain's storage: entries by seq, checkpoints by epoch, paged streams, queries, and the meta facts. */
export function auditContract(backend: string, factory: StoreFactory): void {
  test(`${backend} audit: entries and checkpoints round-trip; head, counts and the last checkpoint follow`, () =>
    withStore(factory, async ({ store }) => {
      assert.equal(await store.audit.head(), undefined);
      assert.equal(await store.audit.lastCheckpoint(), undefined);
      await store.transaction(async (tx) => {
        for (let seq = 0; seq < 5; seq++) await tx.audit.insertEntry(seq, `h${seq}`, `{"seq":${seq}}`, 1000 + seq, seq % 2 ? 'a.odd' : 'a.even', `{"user":"u${seq % 2}"}`);
        await tx.audit.insertCheckpoint({ epoch: 0, size: 1, head: 'h0', time: 1000, note: 'n0' });
        await tx.audit.insertCheckpoint({ epoch: 1, size: 5, head: 'h4', time: 1004, note: 'n1' });
      });
      assert.deepEqual(await store.audit.head(), { seq: 4, hash: 'h4', ts: 1004 });
      assert.deepEqual(await store.audit.lastCheckpoint(), { epoch: 1, size: 5, head: 'h4', time: 1004, note: 'n1' });
      assert.equal(await store.audit.count(), 5);
      assert.equal(await store.audit.checkpointCount(), 2);
      assert.deepEqual((await store.audit.checkpoints()).map((c) => c.epoch), [0, 1]);
      assert.deepEqual((await store.audit.checkpoints(1)).map((c) => c.epoch), [1]);
    }));

  test(`${backend} audit: entries stream in order, in pages, from any seq`, () =>
    withStore(factory, async ({ store }) => {
      await store.transaction(async (tx) => {
        for (let seq = 0; seq < 23; seq++) await tx.audit.insertEntry(seq, `h${seq}`, `c${seq}`, seq, 't.x', 'null');
      });
      const pages: number[] = [];
      const seqs: number[] = [];
      for await (const batch of store.audit.entries(3, 5)) {
        pages.push(batch.length);
        for (const [seq, hash, canon] of batch) {
          assert.equal(hash, `h${seq}`);
          assert.equal(canon, `c${seq}`);
          seqs.push(seq);
        }
      }
      assert.deepEqual(seqs, Array.from({ length: 20 }, (_, i) => i + 3));
      assert.ok(pages.every((n) => n <= 5), 'no page larger than asked');
      const none: number[] = [];
      for await (const batch of store.audit.entries(100)) none.push(batch.length);
      assert.deepEqual(none, []);
    }));

  test(`${backend} audit: queries filter by type, time, actor and seq; limit keeps the oldest N, last the newest N, both oldest first`, () =>
    withStore(factory, async ({ store }) => {
      await store.transaction(async (tx) => {
        for (let seq = 0; seq < 10; seq++) await tx.audit.insertEntry(seq, `h${seq}`, `c${seq}`, 1000 + seq * 10, seq % 2 ? 'a.odd' : 'a.even', `{"user":"u${seq % 3}"}`);
      });
      const seqs = async (q: Parameters<typeof store.audit.query>[0]) => (await store.audit.query(q)).map((r) => r.seq);
      assert.deepEqual(await seqs({ type: 'a.odd' }), [1, 3, 5, 7, 9]);
      assert.deepEqual(await seqs({ since: 1030, until: 1050 }), [3, 4, 5]);
      assert.deepEqual(await seqs({ actor: 'u2' }), [2, 5, 8]);
      assert.deepEqual(await seqs({ afterSeq: 7 }), [8, 9]);
      assert.deepEqual(await seqs({ limit: 3 }), [0, 1, 2]);
      assert.deepEqual(await seqs({ last: 3 }), [7, 8, 9]);
      assert.deepEqual(await seqs({ type: 'a.even', limit: 2 }), [0, 2]);
      assert.deepEqual(await seqs({ type: 'a.even', last: 2 }), [6, 8]);
    }));

  test(`${backend} audit: an entry's seq is unique, and a rolled-back append leaves nothing`, () =>
    withStore(factory, async ({ store }) => {
      await store.transaction(async (tx) => tx.audit.insertEntry(0, 'h0', 'c0', 1, 't.x', 'null'));
      await assert.rejects(store.transaction(async (tx) => tx.audit.insertEntry(0, 'other', 'c', 2, 't.x', 'null')));
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.audit.insertEntry(1, 'h1', 'c1', 2, 't.x', 'null');
          throw new Error('abort');
        }),
      );
      assert.equal(await store.audit.count(), 1);
      assert.deepEqual(await store.audit.head(), { seq: 0, hash: 'h0', ts: 1 });
    }));

  test(`${backend} meta: set replaces, setIfAbsent only fills a gap`, () =>
    withStore(factory, async ({ store }) => {
      assert.equal(await store.meta.get('k'), undefined);
      assert.equal(await store.meta.setIfAbsent('k', 'first'), true);
      assert.equal(await store.meta.setIfAbsent('k', 'second'), false);
      assert.equal(await store.meta.get('k'), 'first');
      await store.meta.set('k', 'third');
      assert.equal(await store.meta.get('k'), 'third');
    }));
}
