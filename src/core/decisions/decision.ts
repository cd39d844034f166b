/**
 * agentsec's blocks as CrowdSec decisions, in the JSON CrowdSec 1.4's local API sends its bouncers
 * (`models.Decision`): `{duration, id, origin, scenario, scope, type, value}`, every field present.
 */
import type { BlockRecord } from '../blocks/block.js';
import { formatGoDuration } from './go-duration.js';

export interface Decision {
  /** Time left, as a Go duration string; negative once the decision has ended. */
  readonly duration: string;
  /** Stable per decision: the id of the block event that set the block. */
  readonly id: number;
  readonly origin: string;
  readonly scenario: string;
  readonly scope: 'Ip' | 'Range';
  readonly type: 'ban';
  readonly value: string;
}

/** Every decision agentsec sends comes from here (bouncers can tell them from CrowdSec's own). */
export const DECISION_ORIGIN = 'agentsec';

/**
 * A permanent block has no end, but a CrowdSec decision always has one: ten years, which every bouncer turns into a
 * long ban (nftables and ipset timeouts, or none), and which the next stream pull extends anyway.
 */
export const PERMANENT_DURATION_MS = 10 * 365 * 24 * 3_600_000;

/** The decision of block `b` (its id `id`) as seen at `now`; `endedAt` when it was lifted before its expiry. */
export function toDecision(b: Pick<BlockRecord, 'value' | 'scope' | 'reason' | 'source' | 'expiresAt'>, id: number, now: number, endedAt?: number): Decision {
  const end = endedAt ?? (b.expiresAt === null ? now + PERMANENT_DURATION_MS : b.expiresAt);
  return {
    duration: formatGoDuration(end - now),
    id,
    origin: DECISION_ORIGIN,
    // CrowdSec names the scenario that caused a decision; agentsec's nearest is the reason, else who made it.
    scenario: b.reason ?? `agentsec/${b.source}`,
    scope: b.scope === 'ip' ? 'Ip' : 'Range',
    type: 'ban',
    value: b.value,
  };
}

/** The scopes of a `scopes=ip,range` filter (case-insensitive, as CrowdSec reads them); unknown ones match nothing. */
export function parseScopes(text: string | null): ReadonlySet<'ip' | 'range'> {
  const out = new Set<'ip' | 'range'>();
  for (const part of (text ?? 'ip,range').split(',')) {
    const s = part.trim().toLowerCase();
    if (s === 'ip' || s === 'range') out.add(s);
  }
  return out;
}
