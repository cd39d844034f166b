import type { BlockRecord } from '../core/blocks/block.js';
import type { BlockScope } from '../core/blocks/target.js';

/** One entry of the append-only block history: a block (with its expiry and count) or an unblock. */
export interface BlockEvent {
  /** Only grows: a reader that remembers the last id it saw reads exactly what came after. */
  readonly id: number;
  readonly at: number;
  readonly action: 'block' | 'unblock';
  readonly value: string;
  readonly scope: BlockScope;
  readonly reason: string | null;
  readonly source: string;
  readonly expiresAt: number | null;
  readonly count: number | null;
}

/** How far `blocks ingest` has read one log file: the file's identity, and the offset of the next line to read. */
export interface IngestPosition {
  readonly dev: string;
  readonly ino: string;
  readonly offset: number;
}

export interface PurgeCounts {
  readonly events: number;
  readonly failures: number;
  readonly blocks: number;
}

/**
 * Current blocks, their append-only event history, counted failures and ingest positions. No method opens a
 * transaction of its own: the blocks service runs each change, with its audit entry, in `store.transaction`.
 */
export interface BlocksRepository {
  get(value: string): Promise<BlockRecord | undefined>;
  /** The most specific active block covering the address with sortable key `key` (see core/net/range.ts). */
  covering(key: string, now: number): Promise<BlockRecord | undefined>;
  /** Adds the block, or replaces the one with the same value (its reason, source, times and count). */
  upsert(b: BlockRecord): Promise<void>;
  /** False when there was no block with this value. */
  delete(value: string): Promise<boolean>;
  /** Active blocks, or every kept block (expired ones too) with `all`; by range start. */
  list(opts: { all: boolean; now: number }): Promise<BlockRecord[]>;
  /**
   * Active blocks in batches, ordered by (range start, value) (exports of 100,000 blocks never hold them all as
   * objects at once; a backend reads them a page at a time by that key).
   */
  active(now: number, batchSize?: number): AsyncIterable<readonly BlockRecord[]>;
  countActive(now: number): Promise<number>;
  /** Appends to the history; returns the event's id (ids only grow). */
  addEvent(e: Omit<BlockEvent, 'id'>): Promise<number>;
  /** How many times `value` was blocked, by the history. */
  priorBlocks(value: string): Promise<number>;
  /** When `value` was last unblocked (lifted before its expiry), by the history; null when never. */
  lastUnblockAt(value: string): Promise<number | null>;
  /** The newest event's id, 0 when the history is empty. */
  lastEventId(): Promise<number>;
  /** Up to `limit` events after the event `id`, oldest first. */
  eventsAfter(id: number, limit: number): Promise<BlockEvent[]>;
  /** The newest `n` events, oldest first. */
  newestEvents(n: number): Promise<BlockEvent[]>;
  addFailure(subject: string, ip: string, kind: string, at: number, source: string | null): Promise<void>;
  /** Failures of `subject` in [since, until]. */
  countFailures(subject: string, since: number, until: number): Promise<number>;
  position(path: string): Promise<IngestPosition | undefined>;
  /** Sets the read position of the log at `path` (its real path), stamped `now`. */
  setPosition(path: string, pos: IngestPosition, now: number): Promise<void>;
  /**
   * Trims history, failures and long-expired blocks older than `cutoff`; active and permanent blocks stay, and so
   * does the newest `block` event of every block kept (its id is the block's decision id, see blockEventIds).
   */
  purge(cutoff: number): Promise<PurgeCounts>;
  /**
   * The id of the newest `block` event of each value: the stable id of the decision that set its current block (the
   * decision API's `id`). A value with no kept block event is absent.
   */
  blockEventIds(values: readonly string[]): Promise<Map<string, number>>;
  /** The id of the newest `block` event of `value` before the event `before`; null when none is kept. */
  blockEventBefore(value: string, before: number): Promise<number | null>;
  /** Kept blocks whose expiry fell in (since, until], by expiry. */
  expiredBetween(since: number, until: number): Promise<BlockRecord[]>;
  /**
   * Every block active at `now` whose range holds all of [start, end] (sortable keys, see core/net/range.ts; an
   * address has start = end), the narrowest first.
   */
  coveringAll(start: string, end: string, now: number): Promise<BlockRecord[]>;
}
