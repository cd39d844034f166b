import type { Database, Statement } from 'better-sqlite3';
import type { ApiKeysRepository } from '../api-keys.js';
import type { AuditRepository, EntryBatch } from '../audit.js';
import type { BlocksRepository } from '../blocks.js';
import type { JwtRepository } from '../jwt.js';
import type { MetaRepository } from '../meta.js';
import type { SecretsRepository } from '../secrets.js';
import type { ChangeFeed, Repos, Store, Tx } from '../store.js';
import type { TotpRepository } from '../totp.js';
import type { BlockRecord } from '../../core/blocks/block.js';
import { ApiKeysRepo } from './api-keys.js';
import { AuditRepo } from '../audit-repo.js';
import { BlocksRepo } from './blocks.js';
import { storeError } from '../db.js';
import { JwtRepo } from '../jwt-repo.js';
import { MetaRepo } from '../meta-repo.js';
import { SecretsRepo } from '../secrets-repo.js';
import { TotpRepo } from '../totp-repo.js';
import { asyncRepo } from './async-repo.js';
import { Gate } from './gate.js';

const ENTRY_BATCH = 4096;
const BLOCK_BATCH = 1024;

interface SyncRepos {
  readonly keys: ApiKeysRepo;
  readonly audit: AuditRepo;
  readonly blocks: BlocksRepo;
  readonly jwt: JwtRepo;
  readonly totp: TotpRepo;
  readonly secrets: SecretsRepo;
  readonly meta: MetaRepo;
}

/**
 * The async repositories over the synchronous ones. Streams are read a page at a time by key (never through a
 * cursor left open across awaits, which better-sqlite3 refuses while other statements run on the connection).
 */
function asyncRepos(sync: SyncRepos, gate: Gate | null): Repos {
  const audit = asyncRepo<Omit<AuditRepository, 'entries'> & { entriesPage(fromSeq: number, limit: number): Promise<EntryBatch> }>(sync.audit, gate);
  const blocks = asyncRepo<Omit<BlocksRepository, 'active'> & { activePage(now: number, after: readonly [string, string] | null, limit: number): Promise<BlockRecord[]> }>(sync.blocks, gate);
  return {
    keys: asyncRepo<ApiKeysRepository>(sync.keys, gate),
    audit: {
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
    },
    blocks: {
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
    },
    jwt: asyncRepo<JwtRepository>(sync.jwt, gate),
    totp: asyncRepo<TotpRepository>(sync.totp, gate),
    secrets: asyncRepo<SecretsRepository>(sync.secrets, gate),
    meta: asyncRepo<MetaRepository>(sync.meta, gate),
  };
}

/** The store on one better-sqlite3 connection (WAL, busy_timeout, synchronous=FULL: see db.ts). */
export class SqliteStore implements Store {
  readonly backend = 'sqlite' as const;
  readonly keys: ApiKeysRepository;
  readonly audit: AuditRepository;
  readonly blocks: BlocksRepository;
  readonly jwt: JwtRepository;
  readonly totp: TotpRepository;
  readonly secrets: SecretsRepository;
  readonly meta: MetaRepository;
  readonly changes: ChangeFeed;

  private readonly gate = new Gate();
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
  ) {
    const sync: SyncRepos = {
      keys: new ApiKeysRepo(db),
      audit: new AuditRepo(db),
      blocks: new BlocksRepo(db),
      jwt: new JwtRepo(db),
      totp: new TotpRepo(db),
      secrets: new SecretsRepo(db),
      meta: new MetaRepo(db),
    };
    const gated = asyncRepos(sync, this.gate);
    this.keys = gated.keys;
    this.audit = gated.audit;
    this.blocks = gated.blocks;
    this.jwt = gated.jwt;
    this.totp = gated.totp;
    this.secrets = gated.secrets;
    this.meta = gated.meta;
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

  private txFor(after: Array<() => void>): Tx {
    const tx: Tx = {
      ...this.txRepos,
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
    return this.gate.run(() => this.db.pragma('user_version', { simple: true }) as number);
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
