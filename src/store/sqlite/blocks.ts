import type { Statement } from 'better-sqlite3';
import type { BlockRecord } from '../../core/blocks/block.js';
import type { BlockEvent, BlocksRepository, IngestPosition, PurgeCounts } from '../blocks.js';
import type { Db } from '../db.js';
import type { Sync } from './async-repo.js';
import { type EventRow, type Row, toBlock, toEvent } from '../rows/blocks.js';

const ACTIVE = '(expires_at IS NULL OR expires_at > @now)';

/**
 * The blocks tables: current blocks, their event history, counted failures and ingest positions. The `active`
 * stream of the interface is built over {@link activePage} by the store (sqlite/store.ts).
 */
export class BlocksRepo implements Sync<Omit<BlocksRepository, 'active'>> {
  private readonly s: Record<string, Statement>;

  constructor(db: Db) {
    const p = (sql: string) => db.prepare(sql);
    this.s = {
      get: p('SELECT * FROM blocks WHERE value = ?'),
      // A single address is one index probe; ranges (few, by nature) are scanned from the address down the
      // partial index, the most specific covering block first.
      coveringIp: p(`SELECT * FROM blocks WHERE range_start = @key AND scope = 'ip' AND ${ACTIVE}`),
      coveringRange: p(`SELECT * FROM blocks WHERE scope = 'range' AND range_start <= @key AND range_end >= @key AND ${ACTIVE} ORDER BY range_start DESC LIMIT 1`),
      upsert: p(`INSERT INTO blocks (value, scope, range_start, range_end, reason, source, created_at, expires_at, block_count)
        VALUES (@value, @scope, @start, @end, @reason, @source, @createdAt, @expiresAt, @count)
        ON CONFLICT (value) DO UPDATE SET reason = excluded.reason, source = excluded.source, created_at = excluded.created_at,
          expires_at = excluded.expires_at, block_count = excluded.block_count`),
      delete: p('DELETE FROM blocks WHERE value = ?'),
      listActive: p(`SELECT * FROM blocks WHERE ${ACTIVE} ORDER BY range_start`),
      listAll: p('SELECT * FROM blocks ORDER BY range_start'),
      activeFirst: p(`SELECT * FROM blocks WHERE ${ACTIVE} ORDER BY range_start, value LIMIT @limit`),
      activeAfter: p(`SELECT * FROM blocks WHERE ${ACTIVE} AND (range_start, value) > (@start, @value) ORDER BY range_start, value LIMIT @limit`),
      countActive: p(`SELECT count(*) FROM blocks WHERE ${ACTIVE}`).pluck(),
      event: p(`INSERT INTO block_events (at, action, value, scope, reason, source, expires_at, block_count)
        VALUES (@at, @action, @value, @scope, @reason, @source, @expiresAt, @count)`),
      priorBlocks: p("SELECT count(*) FROM block_events WHERE value = ? AND action = 'block'").pluck(),
      lastUnblock: p("SELECT max(at) FROM block_events WHERE value = ? AND action = 'unblock'").pluck(),
      lastEventId: p('SELECT coalesce(max(id), 0) FROM block_events').pluck(),
      eventsAfter: p('SELECT * FROM block_events WHERE id > ? ORDER BY id LIMIT ?'),
      newestEvents: p('SELECT * FROM (SELECT * FROM block_events ORDER BY id DESC LIMIT ?) ORDER BY id'),
      failure: p('INSERT INTO block_failures (subject, ip, kind, at, source) VALUES (?, ?, ?, ?, ?)'),
      countFailures: p('SELECT count(*) FROM block_failures WHERE subject = ? AND at >= ? AND at <= ?').pluck(),
      // `offset` is quoted: a reserved word in standard SQL (PostgreSQL refuses it bare), a plain name in SQLite.
      position: p('SELECT dev, ino, "offset" FROM block_ingest_positions WHERE path = ?'),
      setPosition: p(`INSERT INTO block_ingest_positions (path, dev, ino, "offset", updated_at) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (path) DO UPDATE SET dev = excluded.dev, ino = excluded.ino, "offset" = excluded."offset", updated_at = excluded.updated_at`),
      // The newest block event of a kept block is its decision id: it stays however old (one row per block).
      purgeEvents: p(`DELETE FROM block_events WHERE at < ? AND id NOT IN
        (SELECT max(e.id) FROM block_events e JOIN blocks b ON b.value = e.value WHERE e.action = 'block' GROUP BY e.value)`),
      blockEventId: p("SELECT max(id) FROM block_events WHERE value = ? AND action = 'block'").pluck(),
      blockEventBefore: p("SELECT max(id) FROM block_events WHERE value = ? AND action = 'block' AND id < ?").pluck(),
      expiredBetween: p('SELECT * FROM blocks WHERE expires_at > ? AND expires_at <= ? ORDER BY expires_at, value'),
      coveringAllIp: p(`SELECT * FROM blocks WHERE range_start = @start AND range_end = @end AND scope = 'ip' AND ${ACTIVE}`),
      coveringAllRange: p(`SELECT * FROM blocks WHERE scope = 'range' AND range_start <= @start AND range_end >= @end AND ${ACTIVE} ORDER BY range_start DESC, range_end`),
      purgeFailures: p('DELETE FROM block_failures WHERE at < ?'),
      purgeBlocks: p('DELETE FROM blocks WHERE expires_at IS NOT NULL AND expires_at < ?'),
    };
  }

  private st(name: string): Statement {
    return this.s[name] as Statement;
  }

  get(value: string): BlockRecord | undefined {
    const r = this.st('get').get(value) as Row | undefined;
    return r ? toBlock(r) : undefined;
  }

  /** The most specific active block covering the address with sortable key `key` (see core/net/range.ts). */
  covering(key: string, now: number): BlockRecord | undefined {
    const r = (this.st('coveringIp').get({ key, now }) ?? this.st('coveringRange').get({ key, now })) as Row | undefined;
    return r ? toBlock(r) : undefined;
  }

  upsert(b: BlockRecord): void {
    this.st('upsert').run({ value: b.value, scope: b.scope, start: b.start, end: b.end, reason: b.reason, source: b.source, createdAt: b.createdAt, expiresAt: b.expiresAt, count: b.count });
  }

  delete(value: string): boolean {
    return this.st('delete').run(value).changes > 0;
  }

  list(opts: { all: boolean; now: number }): BlockRecord[] {
    const rows = (opts.all ? this.st('listAll').all() : this.st('listActive').all({ now: opts.now })) as Row[];
    return rows.map(toBlock);
  }

  /** Up to `limit` active blocks after the (range_start, value) key `after`, in that order (one page of a stream). */
  activePage(now: number, after: readonly [string, string] | null, limit: number): BlockRecord[] {
    const rows = (after === null ? this.st('activeFirst').all({ now, limit }) : this.st('activeAfter').all({ now, limit, start: after[0], value: after[1] })) as Row[];
    return rows.map(toBlock);
  }

  countActive(now: number): number {
    return this.st('countActive').get({ now }) as number;
  }

  addEvent(e: Omit<BlockEvent, 'id'>): number {
    return Number(this.st('event').run({ at: e.at, action: e.action, value: e.value, scope: e.scope, reason: e.reason, source: e.source, expiresAt: e.expiresAt, count: e.count }).lastInsertRowid);
  }

  priorBlocks(value: string): number {
    return this.st('priorBlocks').get(value) as number;
  }

  lastUnblockAt(value: string): number | null {
    return this.st('lastUnblock').get(value) as number | null;
  }

  lastEventId(): number {
    return this.st('lastEventId').get() as number;
  }

  eventsAfter(id: number, limit: number): BlockEvent[] {
    return (this.st('eventsAfter').all(id, limit) as EventRow[]).map(toEvent);
  }

  newestEvents(n: number): BlockEvent[] {
    return (this.st('newestEvents').all(n) as EventRow[]).map(toEvent);
  }

  addFailure(subject: string, ip: string, kind: string, at: number, source: string | null): void {
    this.st('failure').run(subject, ip, kind, at, source);
  }

  /** Failures of `subject` in [since, until]. */
  countFailures(subject: string, since: number, until: number): number {
    return this.st('countFailures').get(subject, since, until) as number;
  }

  position(path: string): IngestPosition | undefined {
    return this.st('position').get(path) as IngestPosition | undefined;
  }

  setPosition(path: string, pos: IngestPosition, now: number): void {
    this.st('setPosition').run(path, pos.dev, pos.ino, pos.offset, now);
  }

  /** Trims history, failures and long-expired blocks older than `cutoff`; see the interface for what stays. */
  purge(cutoff: number): PurgeCounts {
    // Blocks first: the events of a block purged now are no decision id to keep.
    const blocks = this.st('purgeBlocks').run(cutoff).changes;
    return { events: this.st('purgeEvents').run(cutoff).changes, failures: this.st('purgeFailures').run(cutoff).changes, blocks };
  }

  blockEventIds(values: readonly string[]): Map<string, number> {
    const out = new Map<string, number>();
    const stmt = this.st('blockEventId');
    for (const v of values) {
      const id = stmt.get(v) as number | null;
      if (id !== null) out.set(v, id);
    }
    return out;
  }

  blockEventBefore(value: string, before: number): number | null {
    return this.st('blockEventBefore').get(value, before) as number | null;
  }

  expiredBetween(since: number, until: number): BlockRecord[] {
    return (this.st('expiredBetween').all(since, until) as Row[]).map(toBlock);
  }

  coveringAll(start: string, end: string, now: number): BlockRecord[] {
    const ips = start === end ? (this.st('coveringAllIp').all({ start, end, now }) as Row[]) : [];
    return [...ips, ...(this.st('coveringAllRange').all({ start, end, now }) as Row[])].map(toBlock);
  }
}
