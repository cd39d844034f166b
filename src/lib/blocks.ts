import { blockView, type BlockRecord } from '../core/blocks/block.js';
import { FAILURE_KINDS, type FailureKind } from '../core/blocks/policy.js';
import { usageError } from '../core/errors.js';
import { badIpMessage, parseIp, type IpAddress } from '../core/net/index.js';
import { parseBlockTarget, type BlockTarget } from '../core/blocks/target.js';
import type { BlocksDeps, SyncedIndex } from '../services/blocks.js';
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

/** A block as `agentsec blocks check/add/list --json` show it. */
export interface BlockInfo {
  /** The blocked address or CIDR, canonical. */
  readonly value: string;
  readonly scope: 'ip' | 'range';
  readonly reason: string | null;
  /** `manual`, `library`, `policy`, `ingest:FILE` … */
  readonly source: string;
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly permanent: boolean;
  /** How many times this value has been blocked. */
  readonly count: number;
  readonly status: 'active' | 'expired';
}

/**
 * What {@link isBlocked} answers: the members of `agentsec blocks check --json` (without `schemaVersion`, and
 * without `ip`, which the caller passed in). `if (r.blocked)` narrows to the covering block.
 */
export type IsBlockedResult = { readonly blocked: false; readonly block: null } | { readonly blocked: true; readonly block: BlockInfo };

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
const NOT_BLOCKED: IsBlockedResult = Object.freeze({ blocked: false, block: null });

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
  // A block the index matched is active: its view does not depend on the time of the call, so it is made once.
  return { blocked: true, block: Object.freeze(blockView(b, b.createdAt)) as unknown as BlockInfo };
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
export type RecordFailureResult =
  | { readonly outcome: 'allowlisted'; readonly ip: string }
  | { readonly outcome: 'already-blocked'; readonly ip: string; readonly block: BlockInfo }
  | { readonly outcome: 'counted'; readonly ip: string; readonly subject: string; readonly failures: number; readonly maxFailures: number }
  | { readonly outcome: 'blocked'; readonly ip: string; readonly subject: string; readonly failures: number; readonly block: BlockInfo };

/** {@link recordFailure} with the source kept in the failure log (`library:keys.verify` for the library's own calls). */
export async function recordFailureFrom(source: string, ip: string, kind: FailureKind, opts: RecordFailureOptions): Promise<RecordFailureResult> {
  const addr = ipFor(ip, 'recordFailure');
  if (!(FAILURE_KINDS as readonly string[]).includes(kind)) throw usageError(`recordFailure: kind '${String(kind).slice(0, 40)}' is not one of ${FAILURE_KINDS.join(', ')}`);
  if (opts.reason !== undefined && (typeof opts.reason !== 'string' || opts.reason.length > 500)) throw usageError('recordFailure: reason must be a string of at most 500 characters');
  const h = await homeHandle(opts);
  const deps = await blocksDeps(h);
  const now = opts.now;
  const d = now === undefined ? deps : { ...deps, clock: () => now };
  const { recordFailure: record } = await import('../services/blocks.js');
  // One transaction: the time is read under the write lock, and the index is brought up to date there (blocks other
  // processes made since the last call, so none is made twice).
  const { failure: r, at } = await record(d, addr, kind, { source, reason: opts.reason ?? null });
  return ('block' in r ? { ...r, block: blockView(r.block, at) } : { ...r }) as RecordFailureResult;
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

export interface AddBlockOptions extends BlocksOptions {
  /** Block for this many seconds; default: the policy's blockDuration. */
  readonly forSeconds?: number | undefined;
  /** Block until this time. */
  readonly until?: Date | undefined;
  /** Block until removed. */
  readonly permanent?: boolean | undefined;
  /** Kept with the block (at most 500 characters). */
  readonly reason?: string | undefined;
}

async function blocksDeps(h: OpenHome): Promise<BlocksDeps> {
  if (!h.deps) {
    h.deps = import('../services/blocks.js').then(({ blocksOn }) => blocksOn(h.rt, h.store, {}, h.synced));
    h.deps.catch(() => delete h.deps);
  }
  return h.deps;
}

function targetFor(text: unknown, fn: string): BlockTarget {
  const p = typeof text === 'string' ? parseBlockTarget(text) : { ok: false as const, message: 'is not a string' };
  if (!p.ok) throw usageError(`${fn}: target ${p.message}`);
  return p.target;
}

/**
 * Blocks an address or CIDR range, as `agentsec blocks add` does (blocking it again replaces its expiry and
 * reason), audited. `isBlocked` in this process sees it at once. Returns what `blocks add --json` prints.
 */
export async function addBlock(target: string, opts: AddBlockOptions = {}): Promise<{ readonly block: BlockInfo }> {
  const t = targetFor(target, 'addBlock');
  const given = [opts.forSeconds !== undefined, opts.until !== undefined, opts.permanent === true].filter(Boolean).length;
  if (given > 1) throw usageError('addBlock: use only one of forSeconds, until and permanent');
  if (opts.forSeconds !== undefined && (!Number.isFinite(opts.forSeconds) || opts.forSeconds <= 0)) throw usageError('addBlock: forSeconds must be above zero');
  if (opts.until !== undefined && (!(opts.until instanceof Date) || Number.isNaN(opts.until.getTime()))) throw usageError('addBlock: until must be a Date');
  if (opts.reason !== undefined && (typeof opts.reason !== 'string' || opts.reason.length > 500)) throw usageError('addBlock: reason must be a string of at most 500 characters');
  const h = await homeHandle(opts);
  const deps = await blocksDeps(h);
  const now = (opts.now ?? new Date()).getTime();
  const expiresAt = opts.permanent === true ? null : opts.until !== undefined ? opts.until.getTime() : now + (opts.forSeconds !== undefined ? opts.forSeconds * 1000 : deps.policy.blockDurationMs);
  if (expiresAt !== null && expiresAt <= now) throw usageError('addBlock: until must be in the future');
  const { addBlock: add } = await import('../services/blocks.js');
  const b = await add(deps, t, { expiresAt, reason: opts.reason ?? null, source: 'library', now });
  return { block: blockView(b, now) as unknown as BlockInfo };
}

/**
 * Lifts the block on exactly `target` (`agentsec blocks remove`), audited; a covering range stays. Returns what
 * `blocks remove --json` prints: `removed` is false when there was no active block on that value.
 */
export async function removeBlock(target: string, opts: BlocksOptions = {}): Promise<{ readonly removed: boolean; readonly value: string; readonly block: BlockInfo | null }> {
  const t = targetFor(target, 'removeBlock');
  const h = await homeHandle(opts);
  const deps = await blocksDeps(h);
  const now = (opts.now ?? new Date()).getTime();
  const { removeBlock: remove } = await import('../services/blocks.js');
  const b = await remove(deps, t, { now, source: 'library' });
  return { removed: b !== undefined, value: t.value, block: b ? (blockView(b, now) as unknown as BlockInfo) : null };
}
