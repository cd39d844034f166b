import type { Database, Statement } from 'better-sqlite3';
import type { ApiKeysRepository } from '../api-keys.js';
import type { AuditRepository, EntryBatch } from '../audit.js';
import type { BlocksRepository } from '../blocks.js';
import type { JwtRepository } from '../jwt.js';
import type { MetaRepository } from '../meta.js';
import type { SecretsRepository } from '../secrets.js';
import type { ServeCredentialsRepository } from '../serve-credentials.js';
import type { ChangeFeed, Repos, Store, StoreInfo, Tx } from '../store.js';
import type { TotpRepository } from '../totp.js';
import type { BlockRecord } from '../../core/blocks/block.js';
import { ApiKeysRepo } from './api-keys.js';
import { AuditRepo } from './audit.js';
import { BlocksRepo } from './blocks.js';
import { storeError } from '../db.js';
import { JwtRepo } from './jwt.js';
import { MetaRepo } from './meta.js';
import { SecretsRepo } from './secrets.js';
import { ServeCredentialsRepo } from './serve-credentials.js';
import { TotpRepo } from './totp.js';
import { asyncRepo } from './async-repo.js';
import { Gate } from './gate.js';

// Small pages keep a verifier's memory near what one open cursor used (measured: 4096 rows per page cost 40 MiB more
// peak RSS over 200,000 entries, 256 about 12 MiB, at no cost in speed).
const ENTRY_BATCH = 256;
const BLOCK_BATCH = 1024;

interface SyncRepos {
  readonly keys: ApiKeysRepo;
  readonly audit: AuditRepo;
  readonly blocks: BlocksRepo;
  readonly jwt: JwtRepo;
  readonly totp: TotpRepo;
  readonly secrets: SecretsRepo;
  readonly meta: MetaRepo;
  readonly serveCredentials: ServeCredentialsRepo;
}

/**
 * An object whose properties are made on first use, once each. A command touches one or two areas: preparing every
 * area's statements up front would cost each start-up for nothing.
 */
function lazily<T extends object>(makers: { readonly [K in keyof T]: () => T[K] }): T {
  const out = {} as T;
  for (const key of Object.keys(makers) as Array<keyof T>) {
    Object.defineProperty(out, key, {
      enumerable: true,
      configurable: true,
      get() {
        const value = makers[key]();
        Object.defineProperty(out, key, { value, enumerable: true });
        return value;
      },
    });
  }
  return out;
}

/**
 * The async repositories over the synchronous ones. Streams are read a page at a time by key (never through a
 * cursor left open across awaits, which better-sqlite3 refuses while other statements run on the connection).
 */
function asyncRepos(sync: SyncRepos, gate: Gate | null): Repos {
  return lazily<Repos>({
    keys: () => asyncRepo<ApiKeysRepository>(sync.keys, gate),
    audit: () => auditRepo(sync, gate),
    blocks: () => blocksRepo(sync, gate),
    jwt: () => asyncRepo<JwtRepository>(sync.jwt, gate),
    totp: () => asyncRepo<TotpRepository>(sync.totp, gate),
    secrets: () => asyncRepo<SecretsRepository>(sync.secrets, gate),
    meta: () => asyncRepo<MetaRepository>(sync.meta, gate),
    serveCredentials: () => asyncRepo<ServeCredentialsRepository>(sync.serveCredentials, gate),
  });
}

function auditRepo(sync: SyncRepos, gate: Gate | null): AuditRepository {
  const audit = asyncRepo<Omit<AuditRepository, 'entries'> & { entriesPage(fromSeq: number, limit: number): Promise<EntryBatch> }>(sync.audit, gate);
  return {
    ...audit,
    async *entries(fromSeq = 0, batchSize = ENTRY_BATCH): AsyncIterable<EntryBatch> {
      let next = fromSeq;
      for (;;) {
        const page = await audit.entriesPage(next, batchSize);
        if (page.length === 0) return;
        yield page;
        if (page.length < batchSize) return;
        next = (page[page.length - 1] as readonly [number, string, string])[0] + 1;
      }
    },
  };
}

function blocksRepo(sync: SyncRepos, gate: Gate | null): BlocksRepository {
  const blocks = asyncRepo<Omit<BlocksRepository, 'active'> & { activePage(now: number, after: readonly [string, string] | null, limit: number): Promise<BlockRecord[]> }>(sync.blocks, gate);
  return {
    ...blocks,
    async *active(now: number, batchSize = BLOCK_BATCH): AsyncIterable<readonly BlockRecord[]> {
      let after: readonly [string, string] | null = null;
      for (;;) {
        const page = await blocks.activePage(now, after, batchSize);
        if (page.length === 0) return;
        yield page;
        if (page.length < batchSize) return;
        const last = page[page.length - 1] as BlockRecord;
        after = [last.start, last.value];
      }
    },
  };
}

/** The store on one better-sqlite3 connection (WAL, busy_timeout, synchronous=FULL: see db.ts). */
export class SqliteStore implements Store {
  readonly backend = 'sqlite' as const;
  readonly changes: ChangeFeed;

  private readonly gate = new Gate();
  private readonly gated: Repos;
  private readonly txRepos: Repos;
  private readonly begin: Statement;
  private readonly commit: Statement;
  private readonly rollback: Statement;
  private readonly dataVersion: Statement;
  private savepoints = 0;
  private seenDataVersion: number;
  private version = 0;

  /**
   * `db` is the open, migrated connection. It stays reachable for the SQLite-only tools (migrations, doctor's
   * integrity check); services use the repositories.
   */
  constructor(
    readonly db: Database,
    readonly location: string,
    readonly migration: { readonly from: number; readonly to: number } = { from: 0, to: 0 },
  ) {
    const sync = lazily<SyncRepos>({
      keys: () => new ApiKeysRepo(db),
      audit: () => new AuditRepo(db),
      blocks: () => new BlocksRepo(db),
      jwt: () => new JwtRepo(db),
      totp: () => new TotpRepo(db),
      secrets: () => new SecretsRepo(db),
      meta: () => new MetaRepo(db),
      serveCredentials: () => new ServeCredentialsRepo(db),
    });
    this.gated = asyncRepos(sync, this.gate);
    this.txRepos = asyncRepos(sync, null);
    this.begin = db.prepare('BEGIN IMMEDIATE');
    this.commit = db.prepare('COMMIT');
    this.rollback = db.prepare('ROLLBACK');
    this.dataVersion = db.prepare('PRAGMA data_version').pluck();
    this.seenDataVersion = this.dataVersion.get() as number;
    this.changes = {
      version: () => this.currentVersion(),
      subscribe: (listener, opts = {}) => {
        let seen = this.currentVersion();
        const timer = setInterval(() => {
          if (!this.db.open) return;
          const v = this.currentVersion();
          if (v === seen) return;
          seen = v;
          listener();
        }, opts.intervalMs ?? 250);
        timer.unref();
        return () => clearInterval(timer);
      },
    };
  }

  get keys(): ApiKeysRepository {
    return this.gated.keys;
  }

  get audit(): AuditRepository {
    return this.gated.audit;
  }

  get blocks(): BlocksRepository {
    return this.gated.blocks;
  }

  get jwt(): JwtRepository {
    return this.gated.jwt;
  }

  get totp(): TotpRepository {
    return this.gated.totp;
  }

  get secrets(): SecretsRepository {
    return this.gated.secrets;
  }

  get meta(): MetaRepository {
    return this.gated.meta;
  }

  get serveCredentials(): ServeCredentialsRepository {
    return this.gated.serveCredentials;
  }

  /**
   * data_version changes only for other connections' commits; our own are counted as they happen. Together they
   * give one number that moves after every commit by anyone.
   */
  private currentVersion(): number {
    const dv = this.dataVersion.get() as number;
    if (dv !== this.seenDataVersion) {
      this.seenDataVersion = dv;
      this.version++;
    }
    return this.version;
  }

  async transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    await this.gate.acquire();
    const after: Array<() => void> = [];
    try {
      try {
        this.begin.run();
      } catch (err) {
        throw storeError(err, this.location);
      }
      let result: T;
      try {
        result = await fn(this.txFor(after));
        this.commit.run();
      } catch (err) {
        if (this.db.inTransaction) this.rollback.run();
        throw isSqliteError(err) ? storeError(err, this.location) : err;
      }
      this.version++;
      for (const f of after) f();
      return result;
    } finally {
      this.gate.release();
    }
  }

  async snapshot<T>(fn: (view: Repos) => Promise<T>): Promise<T> {
    await this.gate.acquire();
    try {
      // A deferred transaction that only reads: in WAL mode it holds one snapshot from its first read to COMMIT.
      this.db.exec('BEGIN');
      try {
        return await fn(this.txRepos);
      } finally {
        if (this.db.inTransaction) this.db.exec('COMMIT');
      }
    } finally {
      this.gate.release();
    }
  }

  private txFor(after: Array<() => void>): Tx {
    const repos = this.txRepos;
    const tx: Tx = {
      get keys() {
        return repos.keys;
      },
      get audit() {
        return repos.audit;
      },
      get blocks() {
        return repos.blocks;
      },
      get jwt() {
        return repos.jwt;
      },
      get totp() {
        return repos.totp;
      },
      get secrets() {
        return repos.secrets;
      },
      get meta() {
        return repos.meta;
      },
      get serveCredentials() {
        return repos.serveCredentials;
      },
      savepoint: async <T>(fn: (inner: Tx) => Promise<T>): Promise<T> => {
        const name = `agentsec_sp${++this.savepoints}`;
        this.db.exec(`SAVEPOINT ${name}`);
        try {
          const r = await fn(tx);
          this.db.exec(`RELEASE ${name}`);
          return r;
        } catch (err) {
          this.db.exec(`ROLLBACK TO ${name}`);
          this.db.exec(`RELEASE ${name}`);
          throw err;
        }
      },
      afterCommit: (f) => {
        after.push(f);
      },
    };
    return tx;
  }

  schemaVersion(): Promise<number> {
    return this.gate.run(() => this.mapped(() => this.db.pragma('user_version', { simple: true }) as number));
  }

  /** Runs a whole-store call, turning a SQLite failure (a corrupt or locked file) into the one-line store error. */
  private mapped<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      throw isSqliteError(err) ? storeError(err, this.location) : err;
    }
  }

  check(): Promise<string[]> {
    return this.gate.run(() => this.mapped(() => (this.db.pragma('integrity_check') as Array<{ integrity_check: string }>).map((r) => r.integrity_check).filter((r) => r !== 'ok')));
  }

  async origins(): Promise<string[]> {
    const origin = await this.meta.get('audit.origin');
    return origin === undefined ? [] : [origin];
  }

  info(): Promise<StoreInfo> {
    return this.gate.run(() =>
      this.mapped(() => ({
        server: `SQLite ${String(this.db.prepare('SELECT sqlite_version()').pluck().get())}`,
        origin: null,
        listening: true,
        // subscribe() polls data_version at this interval by default: a change by another process is seen within it.
        lagMs: 250,
        lastNotifyAt: null,
        reconnects: 0,
      })),
    );
  }

  async close(): Promise<void> {
    await this.gate.acquire();
    try {
      if (this.db.open) this.db.close();
    } finally {
      this.gate.release();
    }
  }
}

function isSqliteError(err: unknown): boolean {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_');
}
