/**
 * A numbered PostgreSQL schema step, the twin of the SQLite migration of the same version (same tables, same
 * meaning; only the dialect differs). Its SQL runs in one transaction together with the schema-version bump.
 */
export interface PgMigration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/**
 * Text compared and sorted byte by byte, as SQLite does: a database created with a locale would otherwise order
 * range keys, names and ids by that locale's rules, and "which block covers this address" is a text comparison.
 */
export const TEXT = 'TEXT COLLATE "C"';

/**
 * The statement trigger that tells every listening host that `table` changed. PostgreSQL delivers a NOTIFY only at
 * commit (never for a rollback) and folds identical ones of one transaction into one, so each commit costs one
 * message however many rows it wrote; writes made by any client, not only agentsec, reach the caches.
 */
export function notifyTrigger(table: string): string {
  return `CREATE TRIGGER ${table}_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table}
    FOR EACH STATEMENT EXECUTE FUNCTION agentsec_notify();`;
}
