/**
 * `store migrate --to postgres://…`: copies a SQLite home's store into a PostgreSQL database, table by table in
 * batches, each batch one transaction. Idempotent and resumable: a row already there (by its key, or by its whole
 * content for the history tables, whose ids are local to one SQLite file) is skipped, so a second run copies
 * nothing and a run cut short goes on where it stopped. Verified afterwards by counts and by the copied audit
 * chain's head matching the source's.
 */
import type { Database } from 'better-sqlite3';
import type pg from 'pg';
import type { PostgresStore } from './postgres/store.js';

interface TableSpec {
  readonly table: string;
  readonly cols: readonly string[];
  /** The conflict key (ON CONFLICT DO NOTHING); null: no natural key, a row is "there" when an equal row is. */
  readonly key: readonly string[] | null;
  /** Scoped to the host's origin in PostgreSQL (meta, the audit chain). */
  readonly scoped?: boolean;
  readonly order: string;
  /**
   * Columns that hold a SQLite id of another table (local to one file: the copy renumbers those rows), written as
   * NULL, which each column's reader takes as "not yet".
   */
  readonly local?: readonly string[];
}

/**
 * Every table of the store, in an order that keeps foreign keys satisfied. A new area's tables are appended here
 * (the same list a new PostgreSQL repository needs; see postgres/repos.ts).
 */
export const COPY_TABLES: readonly TableSpec[] = [
  { table: 'meta', cols: ['key', 'value'], key: ['origin', 'key'], scoped: true, order: 'key' },
  { table: 'audit_entries', cols: ['seq', 'hash', 'canon', 'ts', 'type', 'actor'], key: ['origin', 'seq'], scoped: true, order: 'seq' },
  { table: 'audit_checkpoints', cols: ['epoch', 'size', 'head', 'time', 'note'], key: ['origin', 'epoch'], scoped: true, order: 'epoch' },
  {
    table: 'api_keys',
    cols: ['id', 'name', 'prefix', 'last4', 'key_hmac', 'role', 'scopes', 'allow_ips', 'meta', 'created_at', 'expires_at', 'revoked_at', 'revoke_reason', 'last_used_at', 'rotated_from', 'rotated_to'],
    key: ['id'],
    order: 'rowid',
  },
  { table: 'secret_events', cols: ['file', 'name', 'kind', 'action', 'fingerprint', 'at'], key: null, order: 'id' },
  {
    table: 'totp_users',
    cols: ['id', 'name', 'issuer', 'algorithm', 'digits', 'period', 'seed_sealed', 'status', 'created_at', 'confirmed_at', 'last_used_at', 'last_step', 'locked_until'],
    key: ['id'],
    order: 'rowid',
  },
  { table: 'totp_backup_codes', cols: ['user_id', 'idx', 'code_hash', 'used_at'], key: ['user_id', 'idx'], order: 'rowid' },
  { table: 'totp_failures', cols: ['user_id', 'at', 'ip', 'reason'], key: null, order: 'rowid' },
  // Issuers before keys: an external issuer's keys name it (the foreign key holds at every batch's commit).
  { table: 'jwt_issuers', cols: ['name', 'kind', 'issuer', 'audience', 'created_at', 'updated_at'], key: ['name'], order: 'name' },
  { table: 'jwt_keys', cols: ['kid', 'alg', 'created_at', 'retired_at', 'last_exp', 'public_jwk', 'private_sealed', 'issuer_name'], key: ['kid'], order: 'rowid' },
  { table: 'jwt_tokens', cols: ['jti', 'kind', 'sub', 'kid', 'family', 'issued_at', 'expires_at', 'used_at', 'replaced_by'], key: ['jti'], order: 'rowid' },
  { table: 'jwt_revocations', cols: ['kind', 'value', 'revoked_at', 'expires_at'], key: ['kind', 'value'], order: 'rowid' },
  { table: 'blocks', cols: ['value', 'scope', 'range_start', 'range_end', 'reason', 'source', 'created_at', 'expires_at', 'block_count'], key: ['value'], order: 'rowid' },
  { table: 'block_events', cols: ['at', 'action', 'value', 'scope', 'reason', 'source', 'expires_at', 'block_count'], key: null, order: 'id' },
  { table: 'block_failures', cols: ['subject', 'ip', 'kind', 'at', 'source'], key: null, order: 'id' },
  { table: 'block_ingest_positions', cols: ['path', 'dev', 'ino', '"offset"', 'updated_at'], key: ['path'], order: 'path' },
  {
    table: 'serve_credentials',
    cols: ['id', 'kind', 'name', 'last4', 'secret_hmac', 'scopes', 'created_at', 'revoked_at', 'last_used_at', 'last_pull_at', 'last_event_id'],
    key: ['id'],
    order: 'rowid',
    // A bouncer's pull state names a block_events id, renumbered by the copy: without it the bouncer's next poll is
    // answered in full, as a first pull is, instead of as a delta from an id that means another event here.
    local: ['last_pull_at', 'last_event_id'],
  },
];

export interface CopiedTable {
  readonly table: string;
  /** Rows in the SQLite store. */
  readonly source: number;
  /** Rows this run wrote (0 on a second run). */
  readonly copied: number;
  /** Rows of this host in the destination afterwards (at least `source`; other hosts may add their own). */
  readonly destination: number;
}

export interface CopyResult {
  readonly origin: string;
  readonly tables: readonly CopiedTable[];
  /** The audit chain's head in the source and in the destination: equal after a whole copy. */
  readonly head: { readonly source: string | null; readonly destination: string | null };
}

const BATCH = 500;

/**
 * Copies `db` (a SQLite store) into `dest` (an open, migrated PostgreSQL store) under `origin`, the chain's origin.
 * `progress` hears each table as it finishes.
 */
export async function copySqliteToPostgres(db: Database, dest: PostgresStore, origin: string, progress: (t: CopiedTable) => void = () => undefined): Promise<CopyResult> {
  const client = await dest.rawClient();
  try {
    const types = new Map<string, string>();
    const typeRows = await client.query<{ table_name: string; column_name: string; data_type: string }>("SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema()");
    for (const r of typeRows.rows) types.set(`${r.table_name}.${r.column_name}`, r.data_type);
    const cast = (table: string, col: string): string => {
      const t = types.get(`${table}.${col.replace(/"/g, '')}`);
      return t === 'bigint' || t === 'integer' || t === 'bytea' || t === 'boolean' ? `::${t}` : '::text';
    };
    // A destination chain of this origin that starts differently is another chain: refuse rather than mix two.
    const first = db.prepare('SELECT hash FROM audit_entries WHERE seq = 0').pluck().get() as string | undefined;
    const theirs = (await client.query<{ hash: string }>('SELECT hash FROM audit_entries WHERE origin = $1 AND seq = 0', [origin])).rows[0]?.hash;
    if (first !== undefined && theirs !== undefined && first !== theirs) {
      throw new Error(`the destination already holds a different audit chain for origin ${origin}: set audit.origin to a new name, or copy into another database`);
    }
    const tables: CopiedTable[] = [];
    for (const spec of COPY_TABLES) {
      const cols = spec.scoped ? ['origin', ...spec.cols] : [...spec.cols];
      const srcCols = spec.cols.map((c) => (spec.local?.includes(c) ? `NULL AS ${c}` : c)).join(', ');
      const source = db.prepare(`SELECT count(*) FROM ${spec.table}`).pluck().get() as number;
      let copied = 0;
      let offset = 0;
      const page = db.prepare(`SELECT ${srcCols} FROM ${spec.table} ORDER BY ${spec.order} LIMIT ? OFFSET ?`).raw(true);
      for (;;) {
        const rows = page.all(BATCH, offset) as unknown[][];
        if (rows.length === 0) break;
        offset += rows.length;
        const values = rows.map((r) => (spec.scoped ? [origin, ...r] : r));
        await client.query('BEGIN');
        try {
          copied += spec.key ? await insertKeyed(client, spec, cols, values, cast) : await insertByContent(client, spec, cols, values, cast);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw err;
        }
      }
      const where = spec.scoped ? ' WHERE origin = $1' : '';
      const destination = Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${spec.table}${where}`, spec.scoped ? [origin] : [])).rows[0]?.n ?? 0);
      const t = { table: spec.table, source, copied, destination };
      tables.push(t);
      progress(t);
    }
    const srcHead = (db.prepare('SELECT hash FROM audit_entries ORDER BY seq DESC LIMIT 1').pluck().get() as string | undefined) ?? null;
    const destHead = (await client.query<{ hash: string }>('SELECT hash FROM audit_entries WHERE origin = $1 ORDER BY seq DESC LIMIT 1', [origin])).rows[0]?.hash ?? null;
    return { origin, tables, head: { source: srcHead, destination: destHead } };
  } finally {
    client.release();
  }
}

async function insertKeyed(client: pg.PoolClient, spec: TableSpec, cols: readonly string[], rows: readonly unknown[][], cast: (t: string, c: string) => string): Promise<number> {
  const params: unknown[] = [];
  const tuples = rows.map((r) => `(${r.map((v, i) => (params.push(v), `$${params.length}${cast(spec.table, cols[i] as string)}`)).join(', ')})`);
  const r = await client.query(`INSERT INTO ${spec.table} (${cols.join(', ')}) VALUES ${tuples.join(', ')} ON CONFLICT (${(spec.key as readonly string[]).join(', ')}) DO NOTHING`, params);
  return r.rowCount ?? 0;
}

async function insertByContent(client: pg.PoolClient, spec: TableSpec, cols: readonly string[], rows: readonly unknown[][], cast: (t: string, c: string) => string): Promise<number> {
  let n = 0;
  const select = cols.map((c, i) => `$${i + 1}${cast(spec.table, c)}`).join(', ');
  const same = cols.map((c, i) => `${c} IS NOT DISTINCT FROM $${i + 1}${cast(spec.table, c)}`).join(' AND ');
  // A row equal in every column is the same history entry (its SQLite id is not kept: ids are local to a file).
  const sql = `INSERT INTO ${spec.table} (${cols.join(', ')}) SELECT ${select} WHERE NOT EXISTS (SELECT 1 FROM ${spec.table} WHERE ${same})`;
  for (const r of rows) n += (await client.query(sql, r)).rowCount ?? 0;
  return n;
}
