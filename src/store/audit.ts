import type { CheckpointRow, EntryRow, HeadRow, LogQuery } from './audit-repo.js';

export type { CheckpointRow, EntryRow, HeadRow, LogQuery } from './audit-repo.js';

/** A run of consecutive entries as [seq, hash, canon] tuples, in seq order. */
export type EntryBatch = ReadonlyArray<readonly [number, string, string]>;

/** The audit chain's entries and checkpoints. Writers use it inside one transaction (see AuditLog). */
export interface AuditRepository {
  head(): Promise<HeadRow | undefined>;
  lastCheckpoint(): Promise<CheckpointRow | undefined>;
  insertEntry(seq: number, hash: string, canon: string, ts: number, type: string, actor: string): Promise<void>;
  insertCheckpoint(row: CheckpointRow): Promise<void>;
  count(): Promise<number>;
  checkpointCount(): Promise<number>;
  /** Every checkpoint from `sinceEpoch` on, in epoch order (few: one per epoch). */
  checkpoints(sinceEpoch?: number): Promise<CheckpointRow[]>;
  /**
   * Streams entries in stored order from `fromSeq`, in batches (a verifier reads millions: one promise per batch,
   * not per entry), holding only one batch at a time.
   */
  entries(fromSeq?: number, batchSize?: number): AsyncIterable<EntryBatch>;
  /** Entries for `audit log`: filtered, oldest first; with a limit, the newest `limit` of them. */
  query(q: LogQuery): Promise<EntryRow[]>;
}
