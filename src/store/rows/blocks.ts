/**
 * The blocks tables' rows as both backends read them (the column names and types are the same in SQLite
 * and PostgreSQL), and their mapping to the repository's records.
 */
import type { BlockRecord } from '../../core/blocks/block.js';
import type { BlockScope } from '../../core/blocks/target.js';
import type { BlockEvent } from '../blocks.js';

export interface Row {
  value: string;
  scope: string;
  range_start: string;
  range_end: string;
  reason: string | null;
  source: string;
  created_at: number;
  expires_at: number | null;
  block_count: number;
}

export interface EventRow {
  id: number;
  at: number;
  action: string;
  value: string;
  scope: string;
  reason: string | null;
  source: string;
  expires_at: number | null;
  block_count: number | null;
}

export function toBlock(r: Row): BlockRecord {
  return {
    value: r.value,
    scope: r.scope as BlockScope,
    start: r.range_start,
    end: r.range_end,
    reason: r.reason,
    source: r.source,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    count: r.block_count,
  };
}

export function toEvent(r: EventRow): BlockEvent {
  return { id: r.id, at: r.at, action: r.action as 'block' | 'unblock', value: r.value, scope: r.scope as BlockScope, reason: r.reason, source: r.source, expiresAt: r.expires_at, count: r.block_count };
}
