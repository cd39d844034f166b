import { AgentsecError, ExitCode } from '../../core/errors.js';
import { PG_MIGRATIONS, type PgMigration } from '../migrations/postgres/index.js';
import type { Exec } from './exec.js';

/**
 * The lock every writer of the store takes (pg_advisory_xact_lock): migrations and write transactions of every
 * host serialise on it, as SQLite's writers do on BEGIN IMMEDIATE. A constant of our own, per database.
 */
export const WRITE_LOCK = 0x61677365; // "agse"

export function latestPgVersion(migrations: readonly PgMigration[] = PG_MIGRATIONS): number {
  return migrations.reduce((max, m) => Math.max(max, m.version), 0);
}

/** The schema version of the database; 0 when agentsec never migrated it. */
export async function pgSchemaVersion(q: Exec): Promise<number> {
  const exists = await q.query<{ t: string | null }>("SELECT to_regclass('agentsec_schema')::text AS t");
  if (!exists.rows[0]?.t) return 0;
  return (await q.query<{ version: number }>('SELECT version FROM agentsec_schema')).rows[0]?.version ?? 0;
}

/**
 * Brings the database to the newest schema: each pending migration in its own transaction together with the version
 * row, under the writers' lock (another host may be migrating the same database at the same moment: it re-reads the
 * version once it holds the lock). A database newer than this build is refused.
 */
export async function migratePg(q: Exec, location: string, migrations: readonly PgMigration[] = PG_MIGRATIONS): Promise<{ from: number; to: number }> {
  const latest = latestPgVersion(migrations);
  const from = await pgSchemaVersion(q);
  refuseNewer(from, latest, location);
  const pending = [...migrations].filter((m) => m.version > from).sort((a, b) => a.version - b.version);
  for (const m of pending) {
    await q.query('BEGIN');
    try {
      await q.query('SELECT pg_advisory_xact_lock($1)', [WRITE_LOCK]);
      await q.query('CREATE TABLE IF NOT EXISTS agentsec_schema (one BOOLEAN PRIMARY KEY DEFAULT true CHECK (one), version INTEGER NOT NULL)');
      const current = await pgSchemaVersion(q);
      refuseNewer(current, latest, location);
      if (current < m.version) {
        await q.query(m.sql);
        await q.query('INSERT INTO agentsec_schema (one, version) VALUES (true, $1) ON CONFLICT (one) DO UPDATE SET version = excluded.version', [m.version]);
      }
      await q.query('COMMIT');
    } catch (err) {
      await q.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }
  return { from, to: Math.max(from, latest) };
}

export function refuseNewer(version: number, latest: number, location: string): void {
  if (version > latest) {
    throw new AgentsecError(`store ${location} has schema version ${version}, newer than this agentsec supports (${latest}): upgrade agentsec`, ExitCode.Runtime);
  }
}
