import type { Config } from '../config.js';
import { usageError } from '../errors.js';
import { anyCidrContains, formatCidr, formatIp, ipKey, networkOf, parseCidr, type Cidr, type IpAddress } from '../net/index.js';
import { parseBlockTarget, type BlockTarget } from './target.js';

/** Kinds of failure a policy counts. */
export const FAILURE_KINDS = ['auth', 'ratelimit'] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

/** How failures turn into blocks. Durations in milliseconds. */
export interface BlockPolicy {
  readonly enabled: boolean;
  readonly maxFailures: number;
  readonly findTimeMs: number;
  readonly blockDurationMs: number;
  readonly maxDurationMs: number;
  /** Canonical CIDRs never blocked by the policy or by hand. */
  readonly allowlist: readonly string[];
  /** Failures from IPv6 addresses count (and are blocked) per network of this many bits; 128 is per address. */
  readonly ipv6Prefix: number;
  /** nginx status codes read as auth failures and as rate-limit hits by `blocks ingest`. */
  readonly authStatuses: readonly number[];
  readonly ratelimitStatuses: readonly number[];
}

export const DEFAULT_POLICY: BlockPolicy = {
  enabled: true,
  maxFailures: 5,
  findTimeMs: 10 * 60_000,
  blockDurationMs: 3_600_000,
  maxDurationMs: 7 * 86_400_000,
  allowlist: ['127.0.0.0/8', '::1'],
  ipv6Prefix: 128,
  authStatuses: [401, 403],
  ratelimitStatuses: [429],
};

/**
 * The policy from config.yaml's `blocks:` section over the defaults. `parse` turns a duration text into
 * milliseconds (passed in so this stays pure). Allowlist entries are canonicalised here, so a bad one is a
 * configuration error at load, not a silent non-match later.
 */
export function policyFromConfig(section: Config['blocks'], parse: (text: string, what: string) => number): BlockPolicy {
  const s = section ?? {};
  const dur = (v: string | undefined, key: string, dflt: number) => (v === undefined ? dflt : parse(v, `config blocks.${key}`));
  const allowlist = (s.allowlist ?? DEFAULT_POLICY.allowlist).map((text) => {
    const t = parseBlockTarget(text);
    if (!t.ok) throw usageError(`config blocks.allowlist: ${t.message}`);
    return t.target.value;
  });
  const policy: BlockPolicy = {
    enabled: s.enabled ?? DEFAULT_POLICY.enabled,
    maxFailures: s.maxFailures ?? DEFAULT_POLICY.maxFailures,
    findTimeMs: dur(s.findTime, 'findTime', DEFAULT_POLICY.findTimeMs),
    blockDurationMs: dur(s.blockDuration, 'blockDuration', DEFAULT_POLICY.blockDurationMs),
    maxDurationMs: dur(s.maxDuration, 'maxDuration', DEFAULT_POLICY.maxDurationMs),
    allowlist,
    ipv6Prefix: s.ipv6Prefix ?? DEFAULT_POLICY.ipv6Prefix,
    authStatuses: s.nginx?.authStatuses ?? DEFAULT_POLICY.authStatuses,
    ratelimitStatuses: s.nginx?.ratelimitStatuses ?? DEFAULT_POLICY.ratelimitStatuses,
  };
  if (policy.findTimeMs < 1000) throw usageError('config blocks.findTime must be at least 1s');
  if (policy.blockDurationMs < 1000) throw usageError('config blocks.blockDuration must be at least 1s');
  if (policy.maxDurationMs < policy.blockDurationMs) throw usageError('config blocks.maxDuration must be at least blocks.blockDuration');
  return policy;
}

/** Parsed allowlist networks, for repeated checks. */
export function allowlistCidrs(policy: BlockPolicy): Cidr[] {
  return policy.allowlist.map((text) => {
    const p = parseCidr(text);
    if (!p.ok) throw usageError(`allowlist: ${p.message}`);
    return p.cidr;
  });
}

/** True when the allowlist covers the whole target (a range is refused if it holds any allowlisted address). */
export function allowlistConflict(allow: readonly Cidr[], target: BlockTarget): string | undefined {
  const t = parseCidr(target.value);
  if (!t.ok) return undefined;
  for (const a of allow) {
    if (a.version !== t.cidr.version) continue;
    const p = Math.min(a.prefix, t.cidr.prefix);
    const x = formatCidr(networkOf(a, p));
    const y = formatCidr(networkOf(t.cidr, p));
    if (x === y) return formatCidr(a);
  }
  return undefined;
}

export function isAllowlisted(allow: readonly Cidr[], ip: IpAddress): boolean {
  return anyCidrContains(allow, ip);
}

/** What failures from `ip` are counted against: the address, or its IPv6 network when aggregation is on. */
export function failureSubject(policy: Pick<BlockPolicy, 'ipv6Prefix'>, ip: IpAddress): BlockTarget {
  const prefix = ip.version === 6 ? policy.ipv6Prefix : 32;
  if (prefix === (ip.version === 4 ? 32 : 128)) {
    // The address itself (the common case, on the ingest hot path): no CIDR text to build and parse back.
    const key = ipKey(ip);
    return { scope: 'ip', value: formatIp(ip), version: ip.version, prefix, start: key, end: key };
  }
  const t = parseBlockTarget(formatCidr(networkOf(ip, prefix)));
  if (!t.ok) throw new Error(`unreachable: ${t.message}`);
  return t.target;
}

/** `blockDuration × 2^(count-1)`, capped at `maxDuration`; `count` is this block's number for the value (1 = first). */
export function escalatedDurationMs(policy: Pick<BlockPolicy, 'blockDurationMs' | 'maxDurationMs'>, count: number): number {
  const exp = Math.min(Math.max(count - 1, 0), 40);
  return Math.min(policy.blockDurationMs * 2 ** exp, policy.maxDurationMs);
}

export type FailureVerdict =
  | { readonly block: false; readonly failures: number }
  | { readonly block: true; readonly failures: number; readonly count: number; readonly createdAt: number; readonly expiresAt: number };

/**
 * Decides whether a failure just recorded at `now` blocks its subject: `failures` counts those inside the window
 * (this one included), `priorBlocks` how often the subject was blocked before.
 */
export function decideFailure(policy: BlockPolicy, input: { readonly now: number; readonly failures: number; readonly priorBlocks: number }): FailureVerdict {
  if (!policy.enabled || input.failures < policy.maxFailures) return { block: false, failures: input.failures };
  const count = input.priorBlocks + 1;
  return { block: true, failures: input.failures, count, createdAt: input.now, expiresAt: input.now + escalatedDurationMs(policy, count) };
}
