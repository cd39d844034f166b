export interface HeadRow {
  readonly seq: number;
  readonly hash: string;
  readonly ts: number;
}

export interface CheckpointRow {
  readonly epoch: number;
  readonly size: number;
  readonly head: string;
  readonly time: number;
  readonly note: string;
}

export interface EntryRow {
  readonly seq: number;
  readonly hash: string;
  readonly canon: string;
}

export interface LogQuery {
  readonly type?: string | undefined;
  readonly since?: number | undefined;
  readonly until?: number | undefined;
  readonly actor?: string | undefined;
  readonly afterSeq?: number | undefined;
  /** The first N matching entries (oldest first). */
  readonly limit?: number | undefined;
  /** The newest N matching entries, still returned oldest first (like `tail -n`). */
  readonly last?: number | undefined;
}

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
