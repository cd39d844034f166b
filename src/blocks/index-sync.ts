import { BlockIndex } from '../core/blocks/block-index.js';
import type { BlocksRepo } from '../store/blocks-repo.js';

/** An in-memory index of the blocks and how far into the event history it has read. */
export interface SyncedIndex {
  readonly index: BlockIndex;
  lastEventId: number;
}

export function loadIndex(repo: BlocksRepo): SyncedIndex {
  const s: SyncedIndex = { index: new BlockIndex(), lastEventId: 0 };
  fullLoad(repo, s);
  return s;
}

function fullLoad(repo: BlocksRepo, s: SyncedIndex): void {
  s.index.clear();
  s.lastEventId = repo.lastEventId();
  // Expired rows are loaded too: the caller's clock decides what is active at lookup time.
  for (const b of repo.list({ all: true, now: 0 })) s.index.set(b);
}

/**
 * Brings the index up to date from the append-only event history: only the values named by new events are
 * re-read, so another process recording failures (which blocks nothing) costs one small query, and a new block
 * one row. A purged or replaced history reloads everything.
 */
export function syncIndex(repo: BlocksRepo, s: SyncedIndex): void {
  const last = repo.lastEventId();
  if (last === s.lastEventId) return;
  if (last < s.lastEventId) return fullLoad(repo, s);
  const events = repo.eventsAfter(s.lastEventId, 5001);
  if (events.length > 5000) return fullLoad(repo, s);
  for (const value of new Set(events.map((e) => e.value))) {
    const b = repo.get(value);
    if (b) s.index.set(b);
    else s.index.delete(value);
  }
  s.lastEventId = last;
}
