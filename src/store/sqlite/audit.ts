import type { AuditRepository, CheckpointRow, EntryRow, HeadRow, LogQuery } from '../audit.js';
import type { Db } from '../db.js';
import type { Sync } from './async-repo.js';

/** SQL for the audit chain: entries and checkpoints. Writers call it inside one immediate transaction. */
export class AuditRepo implements Omit<Sync<AuditRepository>, 'entries'> {
  readonly db: Db;
  private readonly headStmt;
  private readonly lastCheckpointStmt;
  private readonly insertEntryStmt;
  private readonly insertCheckpointStmt;
  private readonly countStmt;
  private readonly checkpointCountStmt;
  private readonly pageStmt;

  constructor(db: Db) {
    this.db = db;
    this.headStmt = db.prepare<[], HeadRow>('SELECT seq, hash, ts FROM audit_entries ORDER BY seq DESC LIMIT 1');
    this.lastCheckpointStmt = db.prepare<[], CheckpointRow>('SELECT epoch, size, head, time, note FROM audit_checkpoints ORDER BY epoch DESC LIMIT 1');
    this.insertEntryStmt = db.prepare<[number, string, string, number, string, string]>('INSERT INTO audit_entries (seq, hash, canon, ts, type, actor) VALUES (?, ?, ?, ?, ?, ?)');
    this.insertCheckpointStmt = db.prepare<[number, number, string, number, string]>('INSERT INTO audit_checkpoints (epoch, size, head, time, note) VALUES (?, ?, ?, ?, ?)');
    this.countStmt = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM audit_entries');
    this.checkpointCountStmt = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM audit_checkpoints');
    this.pageStmt = db.prepare<[number, number], [number, string, string]>('SELECT seq, hash, canon FROM audit_entries WHERE seq >= ? ORDER BY seq LIMIT ?').raw(true);
  }

  head(): HeadRow | undefined {
    return this.headStmt.get();
  }

  lastCheckpoint(): CheckpointRow | undefined {
    return this.lastCheckpointStmt.get();
  }

  insertEntry(seq: number, hash: string, canon: string, ts: number, type: string, actor: string): void {
    this.insertEntryStmt.run(seq, hash, canon, ts, type, actor);
  }

  insertCheckpoint(row: CheckpointRow): void {
    this.insertCheckpointStmt.run(row.epoch, row.size, row.head, row.time, row.note);
  }

  count(): number {
    return this.countStmt.get()?.n ?? 0;
  }

  checkpointCount(): number {
    return this.checkpointCountStmt.get()?.n ?? 0;
  }

  /** Every checkpoint in epoch order (few: one per epoch). */
  checkpoints(sinceEpoch = 0): CheckpointRow[] {
    return this.db.prepare<[number], CheckpointRow>('SELECT epoch, size, head, time, note FROM audit_checkpoints WHERE epoch >= ? ORDER BY epoch').all(sinceEpoch);
  }

  /** Up to `limit` entries from `fromSeq` on, as [seq, hash, canon] tuples (one page of a stream). */
  entriesPage(fromSeq: number, limit: number): Array<[number, string, string]> {
    return this.pageStmt.all(fromSeq, limit);
  }

  /** Entries for `audit log`: filtered, oldest first; with a limit, the newest `limit` of them. */
  query(q: LogQuery): EntryRow[] {
    const where: string[] = [];
    const args: Array<string | number> = [];
    if (q.type !== undefined) (where.push('type = ?'), args.push(q.type));
    if (q.since !== undefined) (where.push('ts >= ?'), args.push(q.since));
    if (q.until !== undefined) (where.push('ts <= ?'), args.push(q.until));
    if (q.actor !== undefined) (where.push('instr(actor, ?) > 0'), args.push(q.actor));
    if (q.afterSeq !== undefined) (where.push('seq > ?'), args.push(q.afterSeq));
    const cond = where.length ? `WHERE ${where.join(' AND ')}` : '';
    if (q.last !== undefined) {
      const rows = this.db.prepare<Array<string | number>, EntryRow>(`SELECT seq, hash, canon FROM audit_entries ${cond} ORDER BY seq DESC LIMIT ?`).all(...args, q.last);
      return rows.reverse();
    }
    if (q.limit !== undefined) return this.db.prepare<Array<string | number>, EntryRow>(`SELECT seq, hash, canon FROM audit_entries ${cond} ORDER BY seq LIMIT ?`).all(...args, q.limit);
    return this.db.prepare<Array<string | number>, EntryRow>(`SELECT seq, hash, canon FROM audit_entries ${cond} ORDER BY seq`).all(...args);
  }
}
