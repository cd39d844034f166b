/** A block decision an app logged (`IP_BLOCKED`), imported by `blocks ingest` as a block of ours. */
import { isActive, type BlockRecord } from '../../core/blocks/block.js';
import { allowlistConflict } from '../../core/blocks/policy.js';
import { parseBlockTarget } from '../../core/blocks/target.js';
import { formatIp, type IpAddress } from '../../core/net/index.js';
import type { Tx } from '../../store/store.js';
import { blockIn, type BlocksDeps } from './engine.js';
import type { IngestStats } from './ingest-stats.js';

export interface Decision {
  readonly ip: IpAddress;
  /** The line's time (never after now). */
  readonly at: number;
  /** What the line gives: ms, null for permanent, undefined for none. */
  readonly durationMs: number | null | undefined;
  readonly event: string;
}

/**
 * Imports a block the log's app decided, from the line's time for its duration (the policy's blockDuration when the
 * line gives none), capped at maxDuration: a log line is not trusted with a longer or permanent block than the
 * policy itself could make. Allowlisted addresses are refused as any block is; a block already in force for at
 * least as long is left alone. `source` is the log's (`ingest:FILE`); the block's is `import:FILE`. Returns the
 * block made, if any; the outcome is counted in `stats`.
 */
export async function importDecision(d: BlocksDeps, tx: Tx, now: number, p: Decision, source: string, stats: IngestStats): Promise<BlockRecord | undefined> {
  const t = parseBlockTarget(formatIp(p.ip));
  if (!t.ok) {
    stats.unrecognised++;
    return undefined;
  }
  // null is permanent: capped like any other duration.
  const duration = Math.min(p.durationMs === undefined ? d.policy.blockDurationMs : (p.durationMs ?? Infinity), d.policy.maxDurationMs);
  const expiresAt = p.at + duration;
  if (expiresAt <= now) {
    stats.expiredDecisions++;
    return undefined;
  }
  if (allowlistConflict(d.allow, t.target)) {
    stats.allowlisted++;
    return undefined;
  }
  const existing = await tx.blocks.get(t.target.value);
  if (existing && isActive(existing, now) && (existing.expiresAt === null || existing.expiresAt >= expiresAt)) {
    stats.alreadyBlocked++;
    return undefined;
  }
  const imported = source.replace(/^ingest:/, 'import:');
  const block = await blockIn(d, tx, t.target, { expiresAt, reason: `${p.event} decided by the app (${imported.slice('import:'.length)})`.slice(0, 500), source: imported, now: p.at });
  stats.imported++;
  return block;
}
