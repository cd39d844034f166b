import { cidrBounds, formatCidr, formatIp, parseCidr, type IpKey } from '../net/index.js';

/** What a block applies to: one address, or a network (CIDR). */
export type BlockScope = 'ip' | 'range';

export interface BlockTarget {
  readonly scope: BlockScope;
  /** Canonical text: compressed lower-case IPv6, IPv4-mapped folded to IPv4, a CIDR with its host bits zero. */
  readonly value: string;
  readonly version: 4 | 6;
  readonly prefix: number;
  readonly start: IpKey;
  readonly end: IpKey;
}

export type TargetParse = { readonly ok: true; readonly target: BlockTarget } | { readonly ok: false; readonly message: string };

/**
 * Parses `IP` or `CIDR` into its canonical block target. A full-length network (`1.2.3.4/32`) is the address
 * itself, so the same host can never be blocked twice under two spellings. The text is taken as given (no trimming):
 * the same strict parser as every other IP input decides.
 */
export function parseBlockTarget(text: string): TargetParse {
  const parsed = parseCidr(text);
  if (!parsed.ok) return { ok: false, message: parsed.message };
  const { cidr } = parsed;
  const width = cidr.version === 4 ? 32 : 128;
  const { start, end } = cidrBounds(cidr);
  const scope: BlockScope = cidr.prefix === width ? 'ip' : 'range';
  const value = scope === 'ip' ? formatIp(cidr) : formatCidr(cidr);
  return { ok: true, target: { scope, value, version: cidr.version, prefix: cidr.prefix, start, end } };
}
