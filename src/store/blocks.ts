import type { BlockRecord } from '../core/blocks/block.js';
import type { BlockEvent, IngestPosition } from './blocks-repo.js';

export type { BlockEvent, IngestPosition } from './blocks-repo.js';

/** Current blocks, their append-only event history, counted failures and ingest positions. */
export interface BlocksRepository {
  get(value: string): Promise<BlockRecord | undefined>;
  /** The most specific active block covering the address with sortable key `key` (see core/net/range.ts). */
  covering(key: string, now: number): Promise<BlockRecord | undefined>;
  upsert(b: BlockRecord): Promise<void>;
  delete(value: string): Promise<boolean>;
  list(opts: { all: boolean; now: number }): Promise<BlockRecord[]>;
  /** Active blocks in batches (exports of 100,000 blocks never hold them all as objects at once). */
  active(now: number, batchSize?: number): AsyncIterable<readonly BlockRecord[]>;
  countActive(now: number): Promise<number>;
  /** Appends to the history; returns the event's id (ids only grow). */
  addEvent(e: Omit<BlockEvent, 'id'>): Promise<number>;
  priorBlocks(value: string): Promise<number>;
  lastUnblockAt(value: string): Promise<number | null>;
  lastEventId(): Promise<number>;
  eventsAfter(id: number, limit: number): Promise<BlockEvent[]>;
  newestEvents(n: number): Promise<BlockEvent[]>;
  addFailure(subject: string, ip: string, kind: string, at: number, source: string | null): Promise<void>;
  /** Failures of `subject` in [since, until]. */
  countFailures(subject: string, since: number, until: number): Promise<number>;
  position(path: string): Promise<IngestPosition | undefined>;
  setPosition(path: string, pos: IngestPosition, now: number): Promise<void>;
  /** Trims history, failures and long-expired blocks older than `cutoff`; active and permanent blocks stay. */
  purge(cutoff: number): Promise<{ events: number; failures: number; blocks: number }>;
}
