/**
 * What only the PostgreSQL backend has: its change feed across a server restart, its migrations kept in step with
 * SQLite's, and a newer schema refused.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { PG_MIGRATIONS } from '../../src/store/migrations/postgres/index.js';
import { openPostgresStore } from '../../src/store/postgres/store.js';
import { pgUnavailable, startPostgres, type PgServer } from '../support/postgres.js';

test('every SQLite migration has its PostgreSQL twin, with the same version and name', () => {
  assert.deepEqual(
    PG_MIGRATIONS.map((m) => [m.version, m.name]),
    MIGRATIONS.map((m) => [m.version, m.name]),
  );
});

const missing = pgUnavailable();
if (missing) {
  test('postgres change feed', (t) => t.skip(missing));
} else {
  describe('the PostgreSQL change feed', () => {
    let pg: PgServer | undefined;
    after(() => pg?.stop());

    test('after the server restarts, the feed reconnects by itself, resyncs, and carries the next change within 1 s', async () => {
      pg = startPostgres();
      const url = pg.url(pg.createDatabase('feed'));
      const a = await openPostgresStore({ url }, {}, { origin: 'a' });
      const b = await openPostgresStore({ url }, {}, { origin: 'b' });
      const keepAlive = setInterval(() => undefined, 1000);
      try {
        const v0 = b.changes.version();
        pg.kill();
        pg.start();
        const deadline = Date.now() + 15_000;
        // Wait until the listener has seen the connection drop and come back.
        while (!(b.feedStatus().listening && b.feedStatus().reconnects >= 1)) {
          assert.ok(Date.now() < deadline, 'the feed did not come back');
          await new Promise((r) => setTimeout(r, 50));
        }
        assert.ok((await b.info()).reconnects >= 1);
        assert.notEqual(b.changes.version(), v0, 'a reconnect moves the version: what happened meanwhile is unknown');
        const v1 = b.changes.version();
        const t0 = performance.now();
        await a.blocks.addFailure('s', '192.0.2.1', 'auth', Date.now(), null);
        while (b.changes.version() === v1) {
          assert.ok(performance.now() - t0 < 1000, 'change not seen within 1 s');
          await new Promise((r) => setTimeout(r, 5));
        }
      } finally {
        clearInterval(keepAlive);
        await a.close();
        await b.close();
      }
    });

    test('a database whose schema is newer than this build is refused, and nothing is migrated', async () => {
      pg ??= startPostgres();
      const db = pg.createDatabase('newer');
      pg.psql(db, 'CREATE TABLE agentsec_schema (one BOOLEAN PRIMARY KEY DEFAULT true, version INTEGER NOT NULL); INSERT INTO agentsec_schema VALUES (true, 999)');
      await assert.rejects(openPostgresStore({ url: pg.url(db) }, {}, { origin: 'a' }), /schema version 999, newer than this agentsec supports/);
      assert.equal(pg.psql(db, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").trim(), '1');
    });

    test('two hosts migrating one empty database at the same moment both succeed, each migration applied once', async () => {
      pg ??= startPostgres();
      const url = pg.url(pg.createDatabase('race'));
      const stores = await Promise.all(Array.from({ length: 4 }, (_, i) => openPostgresStore({ url }, {}, { origin: `h${i}` })));
      try {
        for (const s of stores) assert.equal(await s.schemaVersion(), PG_MIGRATIONS.length);
      } finally {
        for (const s of stores) await s.close();
      }
    });
  });
}
