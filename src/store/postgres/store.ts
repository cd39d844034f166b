import pg from 'pg';
import type { AuditRepository } from '../audit.js';
import type { ApiKeysRepository } from '../api-keys.js';
import type { BlocksRepository } from '../blocks.js';
import type { JwtRepository } from '../jwt.js';
import type { MetaRepository } from '../meta.js';
import type { OpenStoreOptions } from '../options.js';
import type { SecretsRepository } from '../secrets.js';
import type { ServeCredentialsRepository } from '../serve-credentials.js';
import type { ChangeFeed, Repos, Store, StoreInfo, Tx } from '../store.js';
import type { TotpRepository } from '../totp.js';
import type { PgAuditRepo } from './audit.js';
import { pgConnection, type PgConnection, type PgTarget } from './connection.js';
import { isPgError, pgError, type Exec } from './exec.js';
import { PgChangeFeed, type FeedStatus } from './feed.js';
import { latestPgVersion, migratePg, pgSchemaVersion, refuseNewer, WRITE_LOCK } from './migrate.js';
import { Mutex } from './mutex.js';
import { pgRepos } from './repos.js';

type Env = Readonly<Record<string, string | undefined>>;

export interface PgOpenOptions extends OpenStoreOptions {
  /** This host's origin: its meta and audit chain are its own (config audit.origin, else the host name). */
  readonly origin: string;
  /** How often the change feed moves with no notification, as a safety net (default 30 s). */
  readonly resyncMs?: number;
}

// BIGINT (int8) columns hold epoch milliseconds, counts and ids: all far below 2^53, so numbers, not strings.
const INT8 = 20;
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8 && format !== 'binary') return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format as 'text');
  },
} as unknown as pg.CustomTypesConfig;

const WRITE = /^\s*(INSERT|UPDATE|DELETE)\b/i;

/** Opens (and by default migrates) the PostgreSQL store at `target`, with its change feed listening. */
export async function openPostgresStore(target: PgTarget, env: Env, opts: PgOpenOptions): Promise<PostgresStore> {
  const conn = pgConnection(target, env);
  const config: pg.PoolConfig = {
    ...conn.config,
    types,
    max: opts.serving ? 20 : 5,
    idleTimeoutMillis: 10_000,
    allowExitOnIdle: true,
    // A read-only open (doctor, verify) cannot write even by mistake: the server refuses it.
    ...(opts.readonly ? { options: '-c default_transaction_read_only=on' } : {}),
  };
  const pool = new pg.Pool(config);
  const ownPids = new Set<number>();
  pool.on('connect', (c) => {
    const pid = (c as unknown as { processID?: number }).processID;
    if (pid !== undefined) ownPids.add(pid);
  });
  pool.on('remove', (c) => {
    const pid = (c as unknown as { processID?: number }).processID;
    if (pid !== undefined) ownPids.delete(pid);
  });
  // An idle client that loses its server emits on the pool; without a listener that would crash the process.
  pool.on('error', () => undefined);
  let migration: { from: number; to: number };
  const feed = new PgChangeFeed({ ...conn.config, types } as pg.ClientConfig, ownPids, opts.resyncMs ?? 30_000);
  try {
    const client = await pool.connect();
    const ignore = (): void => undefined; // a lost server fails the next query, reported below
    client.on('error', ignore);
    try {
      const exec = clientExec(client);
      if (opts.migrate ?? !opts.readonly) migration = await migratePg(exec, conn.location);
      else {
        const v = await pgSchemaVersion(exec);
        refuseNewer(v, latestPgVersion(), conn.location);
        migration = { from: v, to: v };
      }
    } finally {
      client.off('error', ignore);
      client.release();
    }
    await feed.start();
  } catch (err) {
    await feed.close();
    await pool.end().catch(() => undefined);
    throw pgError(err, conn.location);
  }
  return new PostgresStore(pool, conn, feed, migration, opts);
}

function clientExec(client: pg.PoolClient | pg.Pool): Exec {
  return {
    async query<R>(sql: string, params?: readonly unknown[]) {
      const r = await client.query(sql, params as unknown[] | undefined);
      return { rows: r.rows as R[], rowCount: r.rowCount ?? 0 };
    },
  };
}

/**
 * The store on a PostgreSQL database shared by a fleet. Isolation, said where chosen:
 * - Every write transaction runs at READ COMMITTED and first takes one transaction-scoped advisory lock
 *   (pg_advisory_xact_lock(WRITE_LOCK)): writers of every host serialise exactly as SQLite's do on BEGIN IMMEDIATE,
 *   so the read-then-write steps of the services (count failures then block once, escalate once, read the chain
 *   head then append) see every earlier commit and cannot interleave. Statements after the lock see all commits
 *   made before it was granted (READ COMMITTED takes a new snapshot per statement).
 * - The compare-and-set UPDATEs (TOTP step, refresh use, backup code) are safe even without the lock: a concurrent
 *   UPDATE of the same row waits and re-checks its WHERE clause.
 * - Plain reads use the pool (each statement its own committed snapshot); `snapshot()` is REPEATABLE READ READ ONLY.
 * - Within one process, transactions queue on a mutex first, so a waiting transaction never holds a pooled
 *   connection the running one might need.
 */
export class PostgresStore implements Store {
  readonly backend = 'postgres' as const;
  readonly location: string;
  readonly changes: ChangeFeed;
  private readonly repos: Repos & { readonly audit: PgAuditRepo };
  private readonly txMutex = new Mutex();
  private savepoints = 0;
  private closed = false;

  constructor(
    private readonly pool: pg.Pool,
    readonly connection: PgConnection,
    private readonly feed: PgChangeFeed,
    readonly migration: { readonly from: number; readonly to: number },
    private readonly opts: PgOpenOptions,
  ) {
    this.location = connection.location;
    const poolExec: Exec = {
      query: async <R>(sql: string, params?: readonly unknown[]) => {
        try {
          const r = await pool.query(sql, params as unknown[] | undefined);
          // An own autocommit write is a commit too: the version moves now, not when its NOTIFY comes back.
          if ((r.rowCount ?? 0) > 0 && WRITE.test(sql)) this.feed.bump();
          return { rows: r.rows as R[], rowCount: r.rowCount ?? 0 };
        } catch (err) {
          throw isPgError(err) ? pgError(err, this.location) : err;
        }
      },
    };
    this.repos = pgRepos(poolExec, opts.origin);
    this.changes = {
      version: () => this.feed.current(),
      subscribe: (listener) => this.feed.subscribe(listener),
    };
  }

  /** This host's origin (its audit chain and meta). */
  get origin(): string {
    return this.opts.origin;
  }

  get keys(): ApiKeysRepository {
    return this.repos.keys;
  }

  get audit(): AuditRepository {
    return this.repos.audit;
  }

  get blocks(): BlocksRepository {
    return this.repos.blocks;
  }

  get jwt(): JwtRepository {
    return this.repos.jwt;
  }

  get totp(): TotpRepository {
    return this.repos.totp;
  }

  get secrets(): SecretsRepository {
    return this.repos.secrets;
  }

  get meta(): MetaRepository {
    return this.repos.meta;
  }

  get serveCredentials(): ServeCredentialsRepository {
    return this.repos.serveCredentials;
  }

  /** Another origin's audit chain in this database (verifying a fleet); read-only use. */
  auditOf(origin: string): PgAuditRepo {
    return this.repos.audit.forOrigin(origin);
  }

  /** Every origin with an audit chain in this database (its checkpoints or its recorded origin). */
  async origins(): Promise<string[]> {
    try {
      const rows = await this.pool.query<{ origin: string }>("SELECT origin FROM meta WHERE key = 'audit.origin' UNION SELECT DISTINCT origin FROM audit_checkpoints ORDER BY origin");
      return rows.rows.map((x) => x.origin);
    } catch (err) {
      throw pgError(err, this.location);
    }
  }

  /**
   * A pooled connection for the store's own tools (copying a SQLite store in): released by the caller. Services never
   * use it; they go through the repositories.
   */
  async rawClient(): Promise<pg.PoolClient> {
    const { client, done } = await this.connect();
    const release = client.release.bind(client);
    client.release = ((err?: Error | boolean) => {
      client.release = release;
      done(err instanceof Error ? err : undefined);
    }) as typeof client.release;
    return client;
  }

  feedStatus(): FeedStatus {
    return this.feed.feedStatus();
  }

  /** The change feed's lag in ms, measured by a NOTIFY round trip through the server (see PgChangeFeed.probe). */
  async feedLatency(timeoutMs?: number): Promise<number> {
    try {
      return await this.feed.probe(async (payload) => {
        await this.pool.query("SELECT pg_notify('agentsec_changes', $1)", [payload]);
      }, timeoutMs);
    } catch (err) {
      throw isPgError(err) ? pgError(err, this.location) : err;
    }
  }

  async info(): Promise<StoreInfo> {
    let server: string;
    try {
      server = `PostgreSQL ${(await this.pool.query<{ v: string }>('SHOW server_version')).rows[0]?.v ?? 'unknown'}`;
    } catch (err) {
      throw pgError(err, this.location);
    }
    const lagMs = Math.round((await this.feedLatency()) * 10) / 10;
    const feed = this.feed.feedStatus();
    return { server, origin: this.opts.origin, listening: feed.listening, lagMs, lastNotifyAt: feed.lastNotifyAt, reconnects: feed.reconnects };
  }

  /**
   * A pooled connection for one transaction or snapshot. While checked out, a connection that loses its server
   * emits 'error' on itself (the pool listens only to idle ones): without a listener that would crash the process
   * instead of failing the one unit of work on it, whose next query then rejects and is reported.
   */
  private async connect(): Promise<{ client: pg.PoolClient; done: (broken?: Error) => void }> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw pgError(err, this.location);
    }
    let lost: Error | undefined;
    const onError = (err: Error): void => {
      lost = err;
    };
    client.on('error', onError);
    return {
      client,
      done: (broken) => {
        client.off('error', onError);
        client.release(broken ?? lost);
      },
    };
  }

  async transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    await this.txMutex.acquire();
    let conn: { client: pg.PoolClient; done: (broken?: Error) => void } | undefined;
    let broken: Error | undefined;
    try {
      conn = await this.connect();
      const client = conn.client;
      const after: Array<() => void> = [];
      try {
        await client.query('BEGIN');
        const wait = Math.max(0, Math.floor(this.opts.busyTimeoutMs ?? (this.opts.serving ? 2000 : 5000)));
        await client.query(`SET LOCAL lock_timeout = ${wait}`);
        await client.query('SELECT pg_advisory_xact_lock($1)', [WRITE_LOCK]);
      } catch (err) {
        broken = err as Error;
        throw pgError(err, this.location);
      }
      let result: T;
      try {
        result = await fn(this.txFor(client, after));
        await client.query('COMMIT');
      } catch (err) {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackErr) {
          broken = rollbackErr as Error;
        }
        throw isPgError(err) ? pgError(err, this.location) : err;
      }
      this.feed.bump();
      for (const f of after) f();
      return result;
    } finally {
      // A connection that failed mid-transaction is destroyed rather than handed to the next caller.
      conn?.done(broken);
      this.txMutex.release();
    }
  }

  async snapshot<T>(fn: (view: Repos) => Promise<T>): Promise<T> {
    const conn = await this.connect();
    const client = conn.client;
    let broken: Error | undefined;
    try {
      try {
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      } catch (err) {
        broken = err as Error;
        throw pgError(err, this.location);
      }
      try {
        return await fn(pgRepos(this.txExec(client), this.opts.origin));
      } finally {
        await client.query('COMMIT').catch((err: Error) => (broken = err));
      }
    } finally {
      conn.done(broken);
    }
  }

  /** A transaction's or snapshot's executor: driver errors pass as they are, mapped once where the unit ends. */
  private txExec(client: pg.PoolClient): Exec {
    return clientExec(client);
  }

  private txFor(client: pg.PoolClient, after: Array<() => void>): Tx {
    const repos = pgRepos(this.txExec(client), this.opts.origin);
    const tx: Tx = {
      ...repos,
      savepoint: async <T>(inner: (t: Tx) => Promise<T>): Promise<T> => {
        const name = `agentsec_sp${++this.savepoints}`;
        await client.query(`SAVEPOINT ${name}`);
        try {
          const r = await inner(tx);
          await client.query(`RELEASE SAVEPOINT ${name}`);
          return r;
        } catch (err) {
          await client.query(`ROLLBACK TO SAVEPOINT ${name}`);
          await client.query(`RELEASE SAVEPOINT ${name}`);
          throw err;
        }
      },
      afterCommit: (f) => {
        after.push(f);
      },
    };
    return tx;
  }

  async schemaVersion(): Promise<number> {
    try {
      return await pgSchemaVersion(clientExec(this.pool));
    } catch (err) {
      throw pgError(err, this.location);
    }
  }

  /** PostgreSQL checks its own pages; this checks what agentsec relies on: the schema version and the feed. */
  async check(): Promise<string[]> {
    const problems: string[] = [];
    const v = await this.schemaVersion();
    if (v !== latestPgVersion()) problems.push(`schema version ${v}, expected ${latestPgVersion()}`);
    if (!this.feed.feedStatus().listening) problems.push('the change feed is not listening (reconnecting)');
    return problems;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Idle connections (and the listener) do not hold the process open (allowExitOnIdle, an unref'd socket), so
    // while their goodbyes are in flight nothing would keep the event loop alive: this timer does, until they end.
    const hold = setInterval(() => undefined, 1000);
    try {
      await this.feed.close();
      await this.pool.end().catch(() => undefined);
    } finally {
      clearInterval(hold);
    }
  }
}
