import type { Database, Statement } from 'better-sqlite3';
import type { BlocksEngine, FailureOutcome } from '../blocks/engine.js';
import { blockView, type BlockRecord } from '../core/blocks/block.js';
import { syncIndex, type SyncedIndex } from '../blocks/index-sync.js';
import { FAILURE_KINDS, type FailureKind } from '../core/blocks/policy.js';
import { usageError } from '../core/errors.js';
import { badIpMessage, parseIp, type IpAddress } from '../core/net/index.js';
import { assertPrivate } from '../platform/fs.js';
import { homePaths } from '../platform/paths.js';
import { libraryHome } from './home.js';
import type { BlocksRepo } from '../store/blocks-repo.js';

export interface BlocksOptions {
  /** The agentsec home; default $AGENTSEC_HOME, else $XDG_DATA_HOME/agentsec. */
  readonly home?: string | undefined;
  /** Clock override (tests). */
  readonly now?: Date | undefined;
}

export interface RecordFailureOptions extends BlocksOptions {
  /** Kept with a block this failure causes. */
  readonly reason?: string | undefined;
}

export type IsBlockedResult =
  | { readonly blocked: false }
  | { readonly blocked: true; readonly value: string; readonly scope: 'ip' | 'range'; readonly expiresAt: string | null; readonly reason: string | null };

interface OpenHome {
  readonly home: string;
  readonly db: Database;
  readonly repo: BlocksRepo;
  readonly synced: SyncedIndex;
  readonly dataVersion: Statement;
  seenVersion: number;
  /** performance.now() of the last data_version check. */
  checkedAt: number;
  engine?: Promise<BlocksEngine>;
}

const HOMES = new Map<string, Promise<OpenHome>>();
const parsedIps = new Map<string, IpAddress | null>();
const MEMO_LIMIT = 10_000;
const NOT_BLOCKED: IsBlockedResult = Object.freeze({ blocked: false });

function ipFor(text: unknown, fn: string): IpAddress {
  if (typeof text === 'string') {
    let ip = parsedIps.get(text);
    if (ip === undefined) {
      ip = parseIp(text) ?? null;
      if (parsedIps.size >= MEMO_LIMIT) parsedIps.clear();
      parsedIps.set(text, ip);
    }
    if (ip) return ip;
  }
  throw usageError(`${fn}: ip ${badIpMessage(text)}`);
}

async function openHome(home: string): Promise<OpenHome> {
  const { existsSync } = await import('node:fs');
  const paths = homePaths(home);
  if (!existsSync(paths.db)) throw usageError(`no agentsec store in ${home}: run agentsec init (or pass home)`);
  assertPrivate(home, 'home');
  assertPrivate(paths.db, 'file');
  const { openDb } = await import('../store/db.js');
  const { BlocksRepo } = await import('../store/blocks-repo.js');
  const db = await openDb(paths.db);
  const dataVersion = db.prepare('PRAGMA data_version').pluck();
  const { loadIndex } = await import('../blocks/index-sync.js');
  const repo = new BlocksRepo(db);
  return { home, db, repo, synced: loadIndex(repo), dataVersion, seenVersion: dataVersion.get() as number, checkedAt: performance.now() };
}

async function homeHandle(opts: BlocksOptions): Promise<OpenHome> {
  const home = libraryHome(opts.home);
  let pending = HOMES.get(home);
  if (!pending) {
    pending = openHome(home);
    HOMES.set(home, pending);
    pending.catch(() => HOMES.delete(home));
  }
  return pending;
}

// One frozen answer per block record (records are replaced, never mutated, when a block changes).
const results = new WeakMap<BlockRecord, IsBlockedResult>();

function toResult(b: BlockRecord): IsBlockedResult {
  let r = results.get(b);
  if (!r) {
    r = Object.freeze(resultOf(b));
    results.set(b, r);
  }
  return r;
}

function resultOf(b: BlockRecord): IsBlockedResult {
  return { blocked: true, value: b.value, scope: b.scope, expiresAt: b.expiresAt === null ? null : new Date(b.expiresAt).toISOString(), reason: b.reason };
}

/**
 * Is this client address blocked (by its own block or a covering range)? Answered from an in-memory index of the
 * active blocks, kept current with the store: a commit by another process (`agentsec blocks add`, another
 * worker's recordFailure) is seen within a millisecond (own recordFailure calls at once), and a block stops matching at its expiry instant.
 * Throws (an AgentsecError) only for an `ip` that is not an address or a missing or unsafe home.
 */
export async function isBlocked(ip: string, opts: BlocksOptions = {}): Promise<IsBlockedResult> {
  const addr = ipFor(ip, 'isBlocked');
  const h = await homeHandle(opts);
  // PRAGMA data_version costs a few microseconds, more than the lookup itself: asked at most once a millisecond,
  // so a block committed by another process counts from at most 1 ms later (well inside any request's latency).
  const t = performance.now();
  if (t - h.checkedAt >= 1) {
    h.checkedAt = t;
    const version = h.dataVersion.get() as number;
    if (version !== h.seenVersion) {
      h.seenVersion = version;
      syncIndex(h.repo, h.synced);
    }
  }
  const b = h.synced.index.lookup(addr, (opts.now ?? new Date()).getTime());
  return b ? toResult(b) : NOT_BLOCKED;
}

/**
 * Records one failure (`auth` or `ratelimit`) for a client address through the block policy of the home's
 * config.yaml, serialised with every other writer (BEGIN IMMEDIATE) so each block is created once. Returns what
 * happened: `counted`, `blocked` (with the new block), `already-blocked` or `allowlisted`.
 */
export async function recordFailure(ip: string, kind: FailureKind = 'auth', opts: RecordFailureOptions = {}): Promise<RecordFailureResult> {
  return recordFailureFrom('library', ip, kind, opts);
}

/** What recording one failure did: counted, or caused a block (with the block). */
export type RecordFailureResult = Record<string, unknown> & { outcome: FailureOutcome['outcome'] };

/** {@link recordFailure} with the source kept in the failure log (`library:keys.verify` for the library's own calls). */
export async function recordFailureFrom(source: string, ip: string, kind: FailureKind, opts: RecordFailureOptions): Promise<RecordFailureResult> {
  const addr = ipFor(ip, 'recordFailure');
  if (!(FAILURE_KINDS as readonly string[]).includes(kind)) throw usageError(`recordFailure: kind '${String(kind).slice(0, 40)}' is not one of ${FAILURE_KINDS.join(', ')}`);
  if (opts.reason !== undefined && (typeof opts.reason !== 'string' || opts.reason.length > 500)) throw usageError('recordFailure: reason must be a string of at most 500 characters');
  const h = await homeHandle(opts);
  if (!h.engine) {
    h.engine = (async () => {
      const { libraryRuntime } = await import('./runtime.js');
      const { blocksEngine } = await import('../blocks/open.js');
      return blocksEngine(libraryRuntime(h.home), h.db, {}, h.synced);
    })();
    h.engine.catch(() => delete h.engine);
  }
  const engine = await h.engine;
  const { recordFailureTx } = await import('../blocks/engine.js');
  let now = 0;
  const r = engine.db
    .transaction(() => {
      // Under the write lock: blocks other processes made since the last call, so none is made twice; and the time
      // is read only now, so failures are stored in lock order and a writer that waited never counts a window that
      // ends before failures already committed.
      now = (opts.now ?? new Date()).getTime();
      syncIndex(h.repo, h.synced);
      return recordFailureTx(engine, addr, kind, { at: now, source, reason: opts.reason ?? null });
    })
    .immediate();
  return 'block' in r ? { ...r, block: blockView(r.block, now) } : { ...r };
}

/** Closes every store opened here (tests, graceful shutdown). */
export async function closeBlockStores(): Promise<void> {
  const all = [...HOMES.values()];
  HOMES.clear();
  for (const p of all) {
    try {
      (await p).db.close();
    } catch {
      /* never opened */
    }
  }
}
