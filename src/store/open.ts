import type { OpenStoreOptions } from './options.js';
import type { Store } from './store.js';

/**
 * Opens the store of a home: the SQLite file (migrated forward unless `migrate: false`). The backend is chosen
 * here, so services never know which one they run on.
 */
export async function openStore(dbPath: string, opts: OpenStoreOptions = {}): Promise<Store> {
  const { openDb } = await import('./db.js');
  const { SqliteStore } = await import('./sqlite/store.js');
  const db = await openDb(dbPath, opts);
  if (opts.serving) {
    // A serving process writes only hints on its own (last-used times): they may lose their last second on power
    // loss, so they need not pay an fsync each, and must not stall a request behind a CLI writer for the house 5 s.
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 100');
  }
  // WAL with synchronous=NORMAL syncs at checkpoints rather than at each commit: a power cut may lose the last
  // commits, never half of one.
  if (opts.bulk) db.pragma('synchronous = NORMAL');
  return new SqliteStore(db, dbPath);
}
