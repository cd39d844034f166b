import { chainFields } from './entry.js';

/** One entry record of an export, as read: its line, the `seq` field of the record, hash and canonical text. */
export interface ExportEntryRecord {
  readonly line: number;
  readonly seq: number;
  readonly hash: string;
  readonly canon: string;
}

/** An export entry with the position the verifier should treat as its place in the store. */
export interface PlacedEntry extends ExportEntryRecord {
  readonly position: number;
  /** The entry's own seq (from its hashed canonical text), undefined when the text is not a well-formed entry. */
  readonly entrySeq: number | undefined;
}

/**
 * Gives an export's entries the positions they would have in the store, from file order alone. The record's `seq`
 * field moves with its line when lines are swapped, duplicated or deleted, so it cannot say where a line belongs;
 * the file order can, with one record of lookahead to tell a deleted line from a moved one:
 * - an entry that is the next one expected takes the next position;
 * - an entry ahead of the next position starts a gap (entries are missing) when the entry after it continues from it,
 *   or when it is the last; otherwise it is a line moved forward, and takes the next position like any other;
 * - an exact copy of the entry before it takes that entry's position again, so that it shifts nothing;
 * - entries before the first position (`--since-epoch`), ahead of every other, are skipped.
 * The verifier then reports missing, moved and duplicated entries exactly as it does for the store.
 */
export class ExportPlacer {
  private next: number;
  private held: { rec: ExportEntryRecord; seq: number | undefined } | undefined;
  private prev: { canon: string; hash: string; position: number } | undefined;

  constructor(firstPosition: number) {
    this.next = firstPosition;
  }

  /** Takes the next record in file order; returns the record before it, now placed (none for the first). */
  push(rec: ExportEntryRecord): PlacedEntry[] {
    const seq = chainFields(rec.canon)?.seq;
    // With --since-epoch, a whole export's entries before the first position are left unchecked, as in the store.
    if (!this.held && !this.prev && seq !== undefined && seq < this.next) return [];
    const out = this.held ? [this.place(this.held.rec, this.held.seq, seq)] : [];
    this.held = { rec, seq };
    return out;
  }

  /** Places the last record, at the end of the file. */
  end(): PlacedEntry[] {
    const out = this.held ? [this.place(this.held.rec, this.held.seq, 'end')] : [];
    this.held = undefined;
    return out;
  }

  private place(rec: ExportEntryRecord, seq: number | undefined, following: number | undefined | 'end'): PlacedEntry {
    let position: number;
    if (this.prev && rec.canon === this.prev.canon && rec.hash === this.prev.hash) {
      position = this.prev.position;
    } else {
      position = seq !== undefined && seq > this.next && (following === 'end' || following === seq + 1) ? seq : this.next;
      this.next = position + 1;
    }
    this.prev = { canon: rec.canon, hash: rec.hash, position };
    return { ...rec, position, entrySeq: seq };
  }
}
