import type { AuditRepository, CheckpointRow, EntryBatch, EntryRow, HeadRow, LogQuery } from '../audit.js';
import type { Exec } from './exec.js';

const ENTRY_BATCH = 256;

/**
 * The audit chain of one origin (this host). Every host of a fleet appends only to its own chain, signed by its own
 * epoch keys; the other chains in the same tables are invisible here, and `audit verify --all` reads them through
 * {@link PgAuditRepo.forOrigin}.
 */
export class PgAuditRepo implements AuditRepository {
  constructor(
    private readonly q: Exec,
    readonly origin: string,
  ) {}

  /** The same repository on another origin's chain (read-only use: verifying a fleet). */
  forOrigin(origin: string): PgAuditRepo {
    return new PgAuditRepo(this.q, origin);
  }

  async head(): Promise<HeadRow | undefined> {
    return (await this.q.query<HeadRow>('SELECT seq, hash, ts FROM audit_entries WHERE origin = $1 ORDER BY seq DESC LIMIT 1', [this.origin])).rows[0];
  }

  async lastCheckpoint(): Promise<CheckpointRow | undefined> {
    return (await this.q.query<CheckpointRow>('SELECT epoch, size, head, time, note FROM audit_checkpoints WHERE origin = $1 ORDER BY epoch DESC LIMIT 1', [this.origin])).rows[0];
  }

  async insertEntry(seq: number, hash: string, canon: string, ts: number, type: string, actor: string): Promise<void> {
    await this.q.query('INSERT INTO audit_entries (origin, seq, hash, canon, ts, type, actor) VALUES ($1, $2, $3, $4, $5, $6, $7)', [this.origin, seq, hash, canon, ts, type, actor]);
  }

  async insertCheckpoint(row: CheckpointRow): Promise<void> {
    await this.q.query('INSERT INTO audit_checkpoints (origin, epoch, size, head, time, note) VALUES ($1, $2, $3, $4, $5, $6)', [this.origin, row.epoch, row.size, row.head, row.time, row.note]);
  }

  async count(): Promise<number> {
    return (await this.q.query<{ n: number }>('SELECT count(*) AS n FROM audit_entries WHERE origin = $1', [this.origin])).rows[0]?.n ?? 0;
  }

  async checkpointCount(): Promise<number> {
    return (await this.q.query<{ n: number }>('SELECT count(*) AS n FROM audit_checkpoints WHERE origin = $1', [this.origin])).rows[0]?.n ?? 0;
  }

  async checkpoints(sinceEpoch = 0): Promise<CheckpointRow[]> {
    return (await this.q.query<CheckpointRow>('SELECT epoch, size, head, time, note FROM audit_checkpoints WHERE origin = $1 AND epoch >= $2 ORDER BY epoch', [this.origin, sinceEpoch])).rows;
  }

  async *entries(fromSeq = 0, batchSize = ENTRY_BATCH): AsyncIterable<EntryBatch> {
    let next = fromSeq;
    for (;;) {
      const r = await this.q.query<EntryRow>('SELECT seq, hash, canon FROM audit_entries WHERE origin = $1 AND seq >= $2 ORDER BY seq LIMIT $3', [this.origin, next, batchSize]);
      if (r.rows.length === 0) return;
      yield r.rows.map((e) => [e.seq, e.hash, e.canon] as const);
      if (r.rows.length < batchSize) return;
      next = (r.rows[r.rows.length - 1] as EntryRow).seq + 1;
    }
  }

  async query(q: LogQuery): Promise<EntryRow[]> {
    const where: string[] = ['origin = $1'];
    const args: Array<string | number> = [this.origin];
    const add = (cond: (n: string) => string, v: string | number): void => {
      args.push(v);
      where.push(cond(`$${args.length}`));
    };
    if (q.type !== undefined) add((n) => `type = ${n}`, q.type);
    if (q.since !== undefined) add((n) => `ts >= ${n}`, q.since);
    if (q.until !== undefined) add((n) => `ts <= ${n}`, q.until);
    if (q.actor !== undefined) add((n) => `strpos(actor, ${n}) > 0`, q.actor);
    if (q.afterSeq !== undefined) add((n) => `seq > ${n}`, q.afterSeq);
    const cond = `WHERE ${where.join(' AND ')}`;
    if (q.last !== undefined) {
      args.push(q.last);
      const rows = (await this.q.query<EntryRow>(`SELECT seq, hash, canon FROM audit_entries ${cond} ORDER BY seq DESC LIMIT $${args.length}`, args)).rows;
      return rows.reverse();
    }
    if (q.limit !== undefined) {
      args.push(q.limit);
      return (await this.q.query<EntryRow>(`SELECT seq, hash, canon FROM audit_entries ${cond} ORDER BY seq LIMIT $${args.length}`, args)).rows;
    }
    return (await this.q.query<EntryRow>(`SELECT seq, hash, canon FROM audit_entries ${cond} ORDER BY seq`, args)).rows;
  }
}
