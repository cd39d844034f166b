/**
 * The backend-neutral store: one async repository interface per area, a transaction boundary, and change
 * notification. Services see only this; `sqlite/` implements it on better-sqlite3 (the default, embedded), and a
 * PostgreSQL backend for fleets implements the same interfaces and passes the same contract tests
 * (test/store/contract/).
 *
 * Rules every backend keeps:
 * - `transaction(fn)` is all-or-nothing and serialised against every other writer of the same store, in this
 *   process and in others (SQLite: BEGIN IMMEDIATE; PostgreSQL: its own isolation or locks, said where chosen).
 *   Inside `fn`, use the repositories of `tx`, never those of the store: the store's own repositories wait for
 *   the transaction to end, so a read outside it never sees a write that may still roll back.
 * - Keep slow work (hashing, signing, file I/O) outside `fn`: other writers wait for it.
 * - `changes.version()` moves after every commit, by anyone: caches in front of the store (the block index, the
 *   verified-key cache, the JWT keyring) compare it to decide when to reload.
 */
import type { ApiKeysRepository } from './api-keys.js';
import type { AuditRepository } from './audit.js';
import type { BlocksRepository } from './blocks.js';
import type { JwtRepository } from './jwt.js';
import type { MetaRepository } from './meta.js';
import type { SecretsRepository } from './secrets.js';
import type { ServeCredentialsRepository } from './serve-credentials.js';
import type { TotpRepository } from './totp.js';

export interface Repos {
  readonly keys: ApiKeysRepository;
  readonly audit: AuditRepository;
  readonly blocks: BlocksRepository;
  readonly jwt: JwtRepository;
  readonly totp: TotpRepository;
  readonly secrets: SecretsRepository;
  readonly meta: MetaRepository;
  readonly serveCredentials: ServeCredentialsRepository;
}

/** The repositories of one open transaction, and what may run inside it. */
export interface Tx extends Repos {
  /**
   * Runs `fn` as a nested unit: when it throws, its writes are undone and the error passes on, while the outer
   * transaction goes on if the caller catches it.
   */
  savepoint<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** Runs `fn` once the transaction has committed (never when it rolls back): side effects that must follow a commit. */
  afterCommit(fn: () => void): void;
}

export interface ChangeFeed {
  /**
   * A number that moves after every commit to the store, by this connection or any other process or host. Cheap
   * and synchronous, for hot paths (SQLite reads `PRAGMA data_version`; PostgreSQL counts NOTIFY messages).
   */
  version(): number;
  /**
   * Calls `listener` soon after a commit by anyone (SQLite: polls `version()` every `intervalMs`, default 250;
   * PostgreSQL: LISTEN). The timer never keeps the process alive. Returns the function that unsubscribes.
   */
  subscribe(listener: () => void, opts?: { readonly intervalMs?: number }): () => void;
}

export type StoreBackend = 'sqlite' | 'postgres';

/** What `store status` shows of a backend beyond its schema version. */
export interface StoreInfo {
  /** The server's version (PostgreSQL), or the SQLite library's. */
  readonly server: string;
  /** This host's origin in a shared store (its audit chain and meta); null where the home is the whole store. */
  readonly origin: string | null;
  /** False while the change feed's connection is down (PostgreSQL: reconnecting). */
  readonly listening: boolean;
  /**
   * The change feed's lag in ms: how long a change made elsewhere takes to reach this process's caches. PostgreSQL
   * measures it now (a NOTIFY round trip through the server); SQLite gives its poll interval, an upper bound.
   * Replication lag does not apply: every host reads the one primary.
   */
  readonly lagMs: number;
  readonly lastNotifyAt: number | null;
  readonly reconnects: number;
}

export interface Store extends Repos {
  readonly backend: StoreBackend;
  /** Where it is, for messages: the file path, or the database URL without its password. */
  readonly location: string;
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` on one consistent snapshot of the store, read-only (an export that must not mix two states of the
   * chain while writers append). Writers in other processes go on; this process's other tasks wait for it.
   */
  snapshot<T>(fn: (view: Repos) => Promise<T>): Promise<T>;
  readonly changes: ChangeFeed;
  schemaVersion(): Promise<number>;
  /** What opening did to the schema: the version found and the version now (equal when nothing was migrated). */
  readonly migration: { readonly from: number; readonly to: number };
  /** The backend's own consistency check (SQLite: PRAGMA integrity_check): the problems found, none when healthy. */
  check(): Promise<string[]>;
  info(): Promise<StoreInfo>;
  /** The origins whose audit chains the store holds (SQLite: at most its own; PostgreSQL: every host's). */
  origins(): Promise<string[]>;
  close(): Promise<void>;
}

export type { OpenStoreOptions } from './options.js';
