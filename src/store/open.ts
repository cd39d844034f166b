import type { OpenStoreOptions } from './options.js';
import type { Store } from './store.js';

/** The newest schema version this build knows (a store above it is refused). */
export async function latestSchemaVersion(): Promise<number> {
  const { latestVersion } = await import('./db.js');
  return latestVersion();
}

/**
 * Opens the store of a home: the SQLite file (migrated forward unless `migrate: false`). The backend is chosen
 * here, so services never know which one they run on.
 */
export async function openStore(dbPath: string, opts: OpenStoreOptions = {}): Promise<Store> {
  const { migrate, openDb, schemaVersion, storeError } = await import('./db.js');
  const { SqliteStore } = await import('./sqlite/store.js');
  const db = await openDb(dbPath, { ...opts, migrate: false });
  let migration: { from: number; to: number };
  try {
    const version = schemaVersion(db);
    migration = (opts.migrate ?? !opts.readonly) ? migrate(db, dbPath) : { from: version, to: version };
  } catch (err) {
    db.close();
    throw storeError(err, dbPath);
  }
  if (opts.serving) {
    // A serving process writes only hints on its own (last-used times): they may lose their last second on power
    // loss, so they need not pay an fsync each, and must not stall a request behind a CLI writer for the house 5 s.
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 100');
  }
  if (opts.busyTimeoutMs !== undefined) db.pragma(`busy_timeout = ${Math.max(0, Math.floor(opts.busyTimeoutMs))}`);
  // WAL with synchronous=NORMAL syncs at checkpoints rather than at each commit: a power cut may lose the last
  // commits, never half of one.
  if (opts.bulk) db.pragma('synchronous = NORMAL');
  return new SqliteStore(db, dbPath, migration);
}
