import type { Database } from 'better-sqlite3';
import { AgentsecError, ExitCode } from '../core/errors.js';
import { MIGRATIONS, type Migration } from './migrations/index.js';
import type { OpenStoreOptions as StoreOpenOptions } from './options.js';

export type Db = Database;

export interface OpenStoreOptions extends StoreOpenOptions {
  readonly migrations?: readonly Migration[];
}

export function latestVersion(migrations: readonly Migration[] = MIGRATIONS): number {
  return migrations.reduce((max, m) => Math.max(max, m.version), 0);
}

/** Maps a SQLite failure to a one-line user error. */
export function storeError(err: unknown, path: string): AgentsecError {
  if (err instanceof AgentsecError) return err;
  const code = (err as { code?: string } | undefined)?.code ?? '';
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return new AgentsecError(`store ${path} is corrupt (${code}): restore it from backup or move it aside and run agentsec init`, ExitCode.Runtime, { cause: err });
  }
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return new AgentsecError(`store ${path} is locked by another process: retry, or find the process holding it`, ExitCode.Runtime, { cause: err });
  }
  if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_PERM' || code === 'SQLITE_READONLY') {
    return new AgentsecError(`cannot open store ${path} (${code}): check that it exists and that you can write it`, ExitCode.Runtime, { cause: err });
  }
  const msg = err instanceof Error ? err.message : String(err);
  return new AgentsecError(`store ${path}: ${msg.split('\n')[0]}`, ExitCode.Runtime, { cause: err });
}

/**
 * Brings a store to the newest schema: each pending migration in its own BEGIN IMMEDIATE transaction together with
 * its `user_version`, so a crash leaves the store at a whole version. A store newer than this build is refused.
 */
export function migrate(db: Database, path: string, migrations: readonly Migration[] = MIGRATIONS): { from: number; to: number } {
  const latest = latestVersion(migrations);
  const from = db.pragma('user_version', { simple: true }) as number;
  if (from > latest) {
    throw new AgentsecError(
      `store ${path} has schema version ${from}, newer than this agentsec supports (${latest}): upgrade agentsec`,
      ExitCode.Runtime,
    );
  }
  const pending = [...migrations].filter((m) => m.version > from).sort((a, b) => a.version - b.version);
  for (const m of pending) {
    db.transaction(() => {
      // Another process may have migrated between our read and this lock.
      const current = db.pragma('user_version', { simple: true }) as number;
      if (current >= m.version) return;
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
  return { from, to: Math.max(from, latest) };
}

/** Opens the SQLite store with the house pragmas and, by default, migrates it forward. */
export async function openDb(path: string, opts: OpenStoreOptions = {}): Promise<Database> {
  const { default: DatabaseCtor } = await import('better-sqlite3');
  let db: Database | undefined;
  try {
    db = new DatabaseCtor(path, { readonly: opts.readonly ?? false, fileMustExist: opts.readonly ?? false });
    db.pragma('busy_timeout = 5000');
    if (!opts.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
    }
    db.pragma('foreign_keys = ON');
    if (opts.migrate ?? !opts.readonly) migrate(db, path, opts.migrations);
    return db;
  } catch (err) {
    db?.close();
    throw storeError(err, path);
  }
}

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}
