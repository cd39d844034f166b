import type { BlockRecord } from '../../core/blocks/block.js';
import type { BlockEvent, BlocksRepository, IngestPosition, PurgeCounts } from '../blocks.js';
import type { Exec } from './exec.js';
import { type EventRow, type Row, toBlock, toEvent } from '../rows/blocks.js';

const ACTIVE = '(expires_at IS NULL OR expires_at > $1)';
const BLOCK_BATCH = 1024;

/** The blocks tables (see the SQLite twin). The blocks service runs each change with its audit entry in one transaction. */
export class PgBlocksRepo implements BlocksRepository {
  constructor(private readonly q: Exec) {}

  async get(value: string): Promise<BlockRecord | undefined> {
    const r = (await this.q.query<Row>('SELECT * FROM blocks WHERE value = $1', [value])).rows[0];
    return r ? toBlock(r) : undefined;
  }

  async covering(key: string, now: number): Promise<BlockRecord | undefined> {
    const ip = (await this.q.query<Row>(`SELECT * FROM blocks WHERE range_start = $2 AND scope = 'ip' AND ${ACTIVE}`, [now, key])).rows[0];
    if (ip) return toBlock(ip);
    const range = (await this.q.query<Row>(`SELECT * FROM blocks WHERE scope = 'range' AND range_start <= $2 AND range_end >= $2 AND ${ACTIVE} ORDER BY range_start DESC LIMIT 1`, [now, key])).rows[0];
    return range ? toBlock(range) : undefined;
  }

  async upsert(b: BlockRecord): Promise<void> {
    await this.q.query(
      `INSERT INTO blocks (value, scope, range_start, range_end, reason, source, created_at, expires_at, block_count)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (value) DO UPDATE SET reason = excluded.reason, source = excluded.source, created_at = excluded.created_at,
         expires_at = excluded.expires_at, block_count = excluded.block_count`,
      [b.value, b.scope, b.start, b.end, b.reason, b.source, b.createdAt, b.expiresAt, b.count],
    );
  }

  async delete(value: string): Promise<boolean> {
    return (await this.q.query('DELETE FROM blocks WHERE value = $1', [value])).rowCount > 0;
  }

  async list(opts: { all: boolean; now: number }): Promise<BlockRecord[]> {
    const r = opts.all ? await this.q.query<Row>('SELECT * FROM blocks ORDER BY range_start') : await this.q.query<Row>(`SELECT * FROM blocks WHERE ${ACTIVE} ORDER BY range_start`, [opts.now]);
    return r.rows.map(toBlock);
  }

  async *active(now: number, batchSize = BLOCK_BATCH): AsyncIterable<readonly BlockRecord[]> {
    // Keyset pages by (range_start, value): no cursor held open between batches.
    let after: readonly [string, string] | null = null;
    for (;;) {
      const r: { rows: Row[] } =
        after === null
          ? await this.q.query<Row>(`SELECT * FROM blocks WHERE ${ACTIVE} ORDER BY range_start, value LIMIT $2`, [now, batchSize])
          : await this.q.query<Row>(`SELECT * FROM blocks WHERE ${ACTIVE} AND (range_start, value) > ($3, $4) ORDER BY range_start, value LIMIT $2`, [now, batchSize, after[0], after[1]]);
      const page = r.rows.map(toBlock);
      if (page.length === 0) return;
      yield page;
      if (page.length < batchSize) return;
      const last = page[page.length - 1] as BlockRecord;
      after = [last.start, last.value];
    }
  }

  async countActive(now: number): Promise<number> {
    return (await this.q.query<{ n: number }>(`SELECT count(*) AS n FROM blocks WHERE ${ACTIVE}`, [now])).rows[0]?.n ?? 0;
  }

  async addEvent(e: Omit<BlockEvent, 'id'>): Promise<number> {
    const r = await this.q.query<{ id: number }>(
      'INSERT INTO block_events (at, action, value, scope, reason, source, expires_at, block_count) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id',
      [e.at, e.action, e.value, e.scope, e.reason, e.source, e.expiresAt, e.count],
    );
    return (r.rows[0] as { id: number }).id;
  }

  async priorBlocks(value: string): Promise<number> {
    return (await this.q.query<{ n: number }>("SELECT count(*) AS n FROM block_events WHERE value = $1 AND action = 'block'", [value])).rows[0]?.n ?? 0;
  }

  async lastUnblockAt(value: string): Promise<number | null> {
    return (await this.q.query<{ m: number | null }>("SELECT max(at) AS m FROM block_events WHERE value = $1 AND action = 'unblock'", [value])).rows[0]?.m ?? null;
  }

  async lastEventId(): Promise<number> {
    return (await this.q.query<{ m: number }>('SELECT coalesce(max(id), 0) AS m FROM block_events')).rows[0]?.m ?? 0;
  }

  async eventsAfter(id: number, limit: number): Promise<BlockEvent[]> {
    return (await this.q.query<EventRow>('SELECT * FROM block_events WHERE id > $1 ORDER BY id LIMIT $2', [id, limit])).rows.map(toEvent);
  }

  async newestEvents(n: number): Promise<BlockEvent[]> {
    return (await this.q.query<EventRow>('SELECT * FROM (SELECT * FROM block_events ORDER BY id DESC LIMIT $1) AS newest ORDER BY id', [n])).rows.map(toEvent);
  }

  async addFailure(subject: string, ip: string, kind: string, at: number, source: string | null): Promise<void> {
    await this.q.query('INSERT INTO block_failures (subject, ip, kind, at, source) VALUES ($1, $2, $3, $4, $5)', [subject, ip, kind, at, source]);
  }

  async countFailures(subject: string, since: number, until: number): Promise<number> {
    return (await this.q.query<{ n: number }>('SELECT count(*) AS n FROM block_failures WHERE subject = $1 AND at >= $2 AND at <= $3', [subject, since, until])).rows[0]?.n ?? 0;
  }

  async position(path: string): Promise<IngestPosition | undefined> {
    return (await this.q.query<IngestPosition>('SELECT dev, ino, "offset" FROM block_ingest_positions WHERE path = $1', [path])).rows[0];
  }

  async setPosition(path: string, pos: IngestPosition, now: number): Promise<void> {
    await this.q.query(
      `INSERT INTO block_ingest_positions (path, dev, ino, "offset", updated_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (path) DO UPDATE SET dev = excluded.dev, ino = excluded.ino, "offset" = excluded."offset", updated_at = excluded.updated_at`,
      [path, pos.dev, pos.ino, pos.offset, now],
    );
  }

  async purge(cutoff: number): Promise<PurgeCounts> {
    // Blocks first: the events of a block purged now are no decision id to keep. The newest block event of a kept
    // block is its decision id (see blockEventIds): it stays however old, one row per block.
    const blocks = (await this.q.query('DELETE FROM blocks WHERE expires_at IS NOT NULL AND expires_at < $1', [cutoff])).rowCount;
    const events = (
      await this.q.query(
        `DELETE FROM block_events WHERE at < $1 AND id NOT IN
           (SELECT max(e.id) FROM block_events e JOIN blocks b ON b.value = e.value WHERE e.action = 'block' GROUP BY e.value)`,
        [cutoff],
      )
    ).rowCount;
    const failures = (await this.q.query('DELETE FROM block_failures WHERE at < $1', [cutoff])).rowCount;
    return { events, failures, blocks };
  }

  async blockEventIds(values: readonly string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (values.length === 0) return out;
    // One round trip for the whole page of blocks, not one per value (a fleet's database is across a network).
    const r = await this.q.query<{ value: string; id: number }>(
      "SELECT value, max(id) AS id FROM block_events WHERE value = ANY($1::text[]) AND action = 'block' GROUP BY value",
      [[...values]],
    );
    for (const row of r.rows) out.set(row.value, row.id);
    return out;
  }

  async blockEventBefore(value: string, before: number): Promise<number | null> {
    return (await this.q.query<{ m: number | null }>("SELECT max(id) AS m FROM block_events WHERE value = $1 AND action = 'block' AND id < $2", [value, before])).rows[0]?.m ?? null;
  }

  async expiredBetween(since: number, until: number): Promise<BlockRecord[]> {
    return (await this.q.query<Row>('SELECT * FROM blocks WHERE expires_at > $1 AND expires_at <= $2 ORDER BY expires_at, value', [since, until])).rows.map(toBlock);
  }

  async coveringAll(start: string, end: string, now: number): Promise<BlockRecord[]> {
    const ips = start === end ? (await this.q.query<Row>(`SELECT * FROM blocks WHERE range_start = $2 AND range_end = $3 AND scope = 'ip' AND ${ACTIVE}`, [now, start, end])).rows : [];
    const ranges = (await this.q.query<Row>(`SELECT * FROM blocks WHERE scope = 'range' AND range_start <= $2 AND range_end >= $3 AND ${ACTIVE} ORDER BY range_start DESC, range_end`, [now, start, end])).rows;
    return [...ips, ...ranges].map(toBlock);
  }
}
