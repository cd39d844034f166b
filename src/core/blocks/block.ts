import type { BlockScope } from './target.js';

/** One current block, as the store keeps it. Times are absolute epoch milliseconds; `expiresAt` null is permanent. */
export interface BlockRecord {
  readonly value: string;
  readonly scope: BlockScope;
  readonly start: string;
  readonly end: string;
  readonly reason: string | null;
  /** Who made it: `manual`, `policy`, `ingest:<file>`, `import:fail2ban`… */
  readonly source: string;
  readonly createdAt: number;
  readonly expiresAt: number | null;
  /** How many times this value has been blocked, this block included (drives escalation). */
  readonly count: number;
}

/** A block stops matching at its expiry instant: no job has to run for it to end. */
export function isActive(b: Pick<BlockRecord, 'expiresAt'>, now: number): boolean {
  return b.expiresAt === null || b.expiresAt > now;
}

export function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/** The JSON shape of a block in `--json` output and JSON Lines. */
export function blockView(b: BlockRecord, now: number): Record<string, unknown> {
  return {
    value: b.value,
    scope: b.scope,
    reason: b.reason,
    source: b.source,
    createdAt: iso(b.createdAt),
    expiresAt: iso(b.expiresAt),
    permanent: b.expiresAt === null,
    count: b.count,
    status: isActive(b, now) ? 'active' : 'expired',
  };
}
