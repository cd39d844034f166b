/**
 * The in-memory block index of a process (ingest, the library's isBlocked) and how it stays true to the store:
 * other processes' changes are read from the append-only event history, this process's own through the view of the
 * transaction that made them, which reaches the shared index only once that transaction has committed.
 */
import { BlockIndex, narrower } from '../../core/blocks/block-index.js';
import type { BlockRecord } from '../../core/blocks/block.js';
import type { IpAddress } from '../../core/net/index.js';
import type { BlocksRepository } from '../../store/blocks.js';
import type { Tx } from '../../store/store.js';

/** More new events than this since the last sync: reading everything again is cheaper than one read per value. */
const INCREMENTAL_LIMIT = 5000;

/** An in-memory index of the blocks and how far into the event history it has read. */
export interface SyncedIndex {
  readonly index: BlockIndex;
  lastEventId: number;
  /**
   * Moves with every change applied to the index. A sync whose reads were overtaken by another change (a commit of
   * this process, another sync) reads again rather than write older state over newer.
   */
  generation: number;
  /** The view of each open transaction that used the index (see {@link viewOf}). */
  readonly views: WeakMap<Tx, TxView>;
}

/**
 * What one transaction changed in the index: seen by its own lookups at once, by everyone else once it commits (a
 * transaction that rolls back leaves the index as it was).
 */
export interface TxView {
  /** The blocks this transaction made. */
  readonly added: BlockIndex;
  /** Every value this transaction blocked or lifted: the shared index's version of them is stale inside it. */
  readonly touched: Set<string>;
}

/** Every kept block (not only those the history names: a block may be older than its trimmed events). */
export async function loadIndex(repo: BlocksRepository): Promise<SyncedIndex> {
  const s: SyncedIndex = { index: new BlockIndex(), lastEventId: 0, generation: 0, views: new WeakMap() };
  const changes = await readAll(repo);
  apply(s, changes);
  return s;
}

type Changes =
  | { readonly kind: 'none' }
  | { readonly kind: 'full'; readonly last: number; readonly blocks: readonly BlockRecord[] }
  | { readonly kind: 'values'; readonly last: number; readonly values: ReadonlyArray<readonly [string, BlockRecord | undefined]> };

/**
 * Reads what changed after event `after`: only the values named by new events are re-read, so another process
 * recording failures (which blocks nothing) costs one small query, and a new block one row. A purged or replaced
 * history, or a long gap, reads everything.
 */
async function readChanges(repo: BlocksRepository, after: number): Promise<Changes> {
  const last = await repo.lastEventId();
  if (last === after) return { kind: 'none' };
  if (last < after) return readAll(repo, last);
  const events = await repo.eventsAfter(after, INCREMENTAL_LIMIT + 1);
  if (events.length > INCREMENTAL_LIMIT) return readAll(repo, last);
  const values: Array<readonly [string, BlockRecord | undefined]> = [];
  for (const value of new Set(events.map((e) => e.value))) values.push([value, await repo.get(value)]);
  return { kind: 'values', last, values };
}

/** Every kept block, and the history's last event id read before them (a later event is read again, never missed). */
async function readAll(repo: BlocksRepository, last?: number): Promise<Changes> {
  const upTo = last ?? (await repo.lastEventId());
  // Expired rows are loaded too: the caller's clock decides what is active at lookup time.
  return { kind: 'full', last: upTo, blocks: await repo.list({ all: true, now: 0 }) };
}

function apply(s: SyncedIndex, changes: Changes): void {
  if (changes.kind === 'none') return;
  if (changes.kind === 'full') {
    s.index.clear();
    for (const b of changes.blocks) s.index.set(b);
  } else {
    for (const [value, b] of changes.values) {
      if (b) s.index.set(b);
      else s.index.delete(value);
    }
  }
  s.lastEventId = changes.last;
  s.generation++;
}

/**
 * Brings the index up to date from the event history. Run inside a transaction (with its repositories) to read
 * under the write lock, or outside one with the store's. Reads and the change they make are not one step, so a
 * sync that another change overtook meanwhile reads again.
 */
export async function syncIndex(repo: BlocksRepository, s: SyncedIndex): Promise<void> {
  for (;;) {
    const generation = s.generation;
    const changes = await readChanges(repo, s.lastEventId);
    if (s.generation !== generation) continue;
    apply(s, changes);
    return;
  }
}

/**
 * The view of `tx`, opened at the transaction's first use of the index: the index is first brought up to date under
 * the write lock (blocks made by other processes since the last sync, so none is made twice), before this
 * transaction writes anything the sync could mistake for committed. Its changes reach the shared index when it
 * commits.
 */
export async function viewOf(s: SyncedIndex, tx: Tx): Promise<TxView> {
  const open = s.views.get(tx);
  if (open) return open;
  await syncIndex(tx.blocks, s);
  const view: TxView = { added: new BlockIndex(), touched: new Set() };
  s.views.set(tx, view);
  tx.afterCommit(() => {
    for (const value of view.touched) {
      const b = view.added.get(value);
      if (b) s.index.set(b);
      else s.index.delete(value);
    }
    if (view.touched.size > 0) s.generation++;
  });
  return view;
}

/** The narrowest active block covering `ip` at `at`, as the transaction of `view` sees the blocks. */
export function lookupIn(s: SyncedIndex, view: TxView, ip: IpAddress, at: number): BlockRecord | undefined {
  if (view.touched.size === 0) return s.index.lookup(ip, at);
  const theirs = s.index.lookup(ip, at, view.touched);
  // A single-address block this transaction did not touch is as narrow as a block gets: no need to look further
  // (ingest under attack: nearly every failure, answered with one probe).
  if (theirs?.scope === 'ip') return theirs;
  const mine = view.added.lookup(ip, at);
  if (!mine || !theirs) return mine ?? theirs;
  return narrower(mine, theirs);
}

/** Records a block made (or replaced) in the view's transaction. */
export function setIn(view: TxView, b: BlockRecord): void {
  view.added.set(b);
  view.touched.add(b.value);
}

/** Records a block lifted in the view's transaction. */
export function deleteIn(view: TxView, value: string): void {
  view.added.delete(value);
  view.touched.add(value);
}
