import { blockView, type BlockRecord } from '../core/blocks/block.js';
import { FAILURE_KINDS, type FailureKind } from '../core/blocks/policy.js';
import { usageError } from '../core/errors.js';
import { badIpMessage, parseIp, type IpAddress } from '../core/net/index.js';
import type { BlocksDeps, FailureOutcome, SyncedIndex } from '../services/blocks.js';
import type { Runtime } from '../services/runtime.js';
import type { Store } from '../store/store.js';
import { libraryHome } from './home.js';

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
  readonly rt: Runtime;
  readonly store: Store;
  readonly synced: SyncedIndex;
  /** The store's change-feed version the index was last brought up to. */
  seenVersion: number;
  /** performance.now() of the last change-feed check. */
  checkedAt: number;
  /** The sync in flight after the feed moved: callers meanwhile wait for it rather than answer from the old index. */
  refreshing: Promise<void> | null;
  /** The policy and audit sink, built on the first recordFailure (isBlocked needs neither, nor config.yaml). */
  deps?: Promise<BlocksDeps>;
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
  const { libraryRuntime } = await import('./runtime.js');
  const rt = libraryRuntime(home);
  // Not a serving store: recording a failure waits behind another writer (an ingest batch) as the CLI does.
  const store = await rt.store();
  try {
    const { loadIndex } = await import('../services/blocks.js');
    const seenVersion = store.changes.version();
    return { rt, store, synced: await loadIndex(store.blocks), seenVersion, checkedAt: performance.now(), refreshing: null };
  } catch (err) {
    await store.close();
    throw err;
  }
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
  // The change feed's version costs a few microseconds (SQLite: PRAGMA data_version), more than the lookup itself:
  // asked at most once a millisecond, so a block committed by another process counts from at most 1 ms later (well
  // inside any request's latency).
  const t = performance.now();
  if (t - h.checkedAt >= 1) {
    h.checkedAt = t;
    const version = h.store.changes.version();
    if (version !== h.seenVersion) {
      h.seenVersion = version;
      h.refreshing ??= refresh(h);
    }
  }
  if (h.refreshing) await h.refreshing;
  const b = h.synced.index.lookup(addr, (opts.now ?? new Date()).getTime());
  return b ? toResult(b) : NOT_BLOCKED;
}

async function refresh(h: OpenHome): Promise<void> {
  try {
    const { syncIndex } = await import('../services/blocks.js');
    await syncIndex(h.store.blocks, h.synced);
  } catch (err) {
    // Read again at the next check rather than answer from an index that missed a change for good.
    h.seenVersion = NaN;
    throw err;
  } finally {
    h.refreshing = null;
  }
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
  if (!h.deps) {
    h.deps = import('../services/blocks.js').then(({ blocksOn }) => blocksOn(h.rt, h.store, {}, h.synced));
    h.deps.catch(() => delete h.deps);
  }
  const deps = await h.deps;
  const now = opts.now;
  const d = now === undefined ? deps : { ...deps, clock: () => now };
  const { recordFailure: record } = await import('../services/blocks.js');
  // One transaction: the time is read under the write lock, and the index is brought up to date there (blocks other
  // processes made since the last call, so none is made twice).
  const { failure: r, at } = await record(d, addr, kind, { source, reason: opts.reason ?? null });
  return 'block' in r ? { ...r, block: blockView(r.block, at) } : { ...r };
}

/** Closes every store opened here (tests, graceful shutdown). */
export async function closeBlockStores(): Promise<void> {
  const all = [...HOMES.values()];
  HOMES.clear();
  for (const p of all) {
    try {
      await (await p).store.close();
    } catch {
      /* never opened */
    }
  }
}
