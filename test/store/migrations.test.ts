import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { AgentsecError } from '../../src/core/errors.js';
import { latestVersion, migrate, openDb, schemaVersion } from '../../src/store/db.js';
import { MIGRATIONS, type Migration } from '../../src/store/migrations/index.js';
import { tempDir } from '../support/cli.js';

const synthetic: Migration[] = [
  { version: 1, name: 'a', up: (db) => db.exec('CREATE TABLE a (x INTEGER)') },
  { version: 2, name: 'b', up: (db) => db.exec('CREATE TABLE b (y INTEGER)') },
  { version: 3, name: 'c', up: (db) => db.exec('ALTER TABLE a ADD COLUMN z TEXT') },
];

test('migrations go 0 -> N, and a second run is a no-op', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const db = await openDb(join(dir, 's.db'), { migrate: false });
    assert.equal(schemaVersion(db), 0);
    assert.deepEqual(migrate(db, 's.db', synthetic), { from: 0, to: 3 });
    assert.equal(schemaVersion(db), 3);
    const cols = (db.pragma('table_info(a)') as Array<{ name: string }>).map((c) => c.name);
    assert.deepEqual(cols, ['x', 'z']);
    assert.deepEqual(migrate(db, 's.db', synthetic), { from: 3, to: 3 });
    db.close();
  } finally {
    cleanup();
  }
});

test('an older store is migrated forward on open', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, 's.db');
    const db = await openDb(path, { migrations: synthetic.slice(0, 1) });
    assert.equal(schemaVersion(db), 1);
    db.close();
    const again = await openDb(path, { migrations: synthetic });
    assert.equal(schemaVersion(again), 3);
    again.close();
  } finally {
    cleanup();
  }
});

test('a failing migration leaves the store at the previous whole version', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const db = await openDb(join(dir, 's.db'), { migrate: false });
    const broken: Migration[] = [
      synthetic[0] as Migration,
      { version: 2, name: 'bad', up: (d) => { d.exec('CREATE TABLE half (x)'); throw new Error('boom'); } },
    ];
    assert.throws(() => migrate(db, 's.db', broken), /boom/);
    assert.equal(schemaVersion(db), 1);
    assert.equal((db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'half'").get() as { n: number }).n, 0);
    db.close();
  } finally {
    cleanup();
  }
});

test('a store from a newer version is refused with a clear error', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, 's.db');
    const db = await openDb(path);
    db.pragma(`user_version = ${latestVersion() + 5}`);
    db.close();
    await assert.rejects(openDb(path), (e: unknown) => e instanceof AgentsecError && /newer than this agentsec supports/.test(e.message) && e.exitCode === 3);
  } finally {
    cleanup();
  }
});

// A gap would be fatal later: a store already past a number never applies a migration that lands below it.
test('the real migration list is numbered 1..N, in order, without gaps', () => {
  assert.deepEqual(MIGRATIONS.map((m) => m.version), MIGRATIONS.map((_, i) => i + 1));
});
