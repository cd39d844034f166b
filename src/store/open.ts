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

/** Where a home's store lives: its SQLite file, or a PostgreSQL database shared by a fleet. */
export type StoreTarget =
  | { readonly backend: 'sqlite'; readonly path: string }
  | {
      readonly backend: 'postgres';
      readonly url: string;
      readonly allowPlaintext: boolean;
      /** This host's origin: its audit chain and meta in the shared database. */
      readonly origin: string;
      /** Where the URL came from, for messages. */
      readonly source: string;
    };

/** Opens the store a target names (see {@link openStore} for SQLite). `env` gives PGPASSWORD, PGPASSFILE, HOME. */
export async function openStoreTarget(target: StoreTarget, env: Readonly<Record<string, string | undefined>>, opts: OpenStoreOptions = {}): Promise<Store> {
  if (target.backend === 'sqlite') return openStore(target.path, opts);
  const { openPostgresStore } = await import('./postgres/store.js');
  return openPostgresStore({ url: target.url, allowPlaintext: target.allowPlaintext }, env, { ...opts, origin: target.origin });
}

/**
 * Copies the SQLite store at `dbPath` into the PostgreSQL database of `target` (migrated first), under the origin
 * the SQLite chain records (else `target.origin`). See copy.ts: idempotent, resumable, counted.
 */
export async function copySqliteStoreTo(
  dbPath: string,
  target: Extract<StoreTarget, { backend: 'postgres' }>,
  env: Readonly<Record<string, string | undefined>>,
  progress?: (t: import('./copy.js').CopiedTable) => void,
): Promise<import('./copy.js').CopyResult> {
  const { SqliteStore } = await import('./sqlite/store.js');
  const { copySqliteToPostgres } = await import('./copy.js');
  const { openPostgresStore } = await import('./postgres/store.js');
  const source = await openStore(dbPath, { readonly: true, migrate: false });
  try {
    const origin = (await source.meta.get('audit.origin')) ?? target.origin;
    const dest = await openPostgresStore({ url: target.url, allowPlaintext: target.allowPlaintext }, env, { origin });
    try {
      // One read transaction on the source: the copy is of one state, even while this host keeps writing.
      const db = (source as InstanceType<typeof SqliteStore>).db;
      db.exec('BEGIN');
      try {
        return await copySqliteToPostgres(db, dest, origin, progress);
      } finally {
        if (db.inTransaction) db.exec('COMMIT');
      }
    } finally {
      await dest.close();
    }
  } finally {
    await source.close();
  }
}
