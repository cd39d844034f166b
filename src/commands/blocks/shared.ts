import type { Ctx } from '../../cli/context.js';
import { isActive, type BlockRecord } from '../../core/blocks/block.js';
import { parseBlockTarget, type BlockTarget } from '../../core/blocks/target.js';
import { usageError } from '../../core/errors.js';
import { badIpMessage, parseIp, type IpAddress } from '../../core/net/index.js';
import type { Column } from '../../output/output.js';

/** An IP or CIDR argument, canonicalised; a clear usage error otherwise. */
export function targetArg(text: unknown): BlockTarget {
  const t = parseBlockTarget(String(text ?? ''));
  if (!t.ok) throw usageError(t.message.includes('not an IP') ? `${t.message.slice(0, 200)}: give an IPv4/IPv6 address or a CIDR such as 203.0.113.0/24` : t.message.slice(0, 200));
  return t.target;
}

/** A single address argument (no CIDR). */
export function ipArg(text: unknown): IpAddress {
  const s = String(text ?? '');
  const ip = parseIp(s);
  if (!ip) throw usageError(`${badIpMessage(s, 'an IP address')}: give an IPv4 or IPv6 address`);
  return ip;
}

/** `--reason`: one printable line, bounded. */
export function reasonOpt(reason: string | undefined): string | null {
  if (reason === undefined) return null;
  // eslint-disable-next-line no-control-regex
  if (reason.length > 500 || /[\u0000-\u001f\u007f]/.test(reason)) throw usageError('--reason: use at most 500 printable characters on one line');
  return reason;
}

export function isoSeconds(ms: number | null): string {
  return ms === null ? 'never' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function blockColumns(ctx: Ctx, now: number): Column<BlockRecord>[] {
  const c = ctx.out.chalk;
  return [
    { header: 'VALUE', value: (b) => b.value, keep: true },
    { header: 'SCOPE', value: (b) => b.scope, drop: 2 },
    { header: 'STATUS', value: (b) => (isActive(b, now) ? 'active' : 'expired'), style: (t) => (t === 'active' ? c.red(t) : c.dim(t)), keep: true },
    { header: 'EXPIRES', value: (b) => isoSeconds(b.expiresAt), keep: true },
    { header: 'COUNT', value: (b) => b.count, drop: 3 },
    { header: 'SOURCE', value: (b) => b.source, drop: 1 },
    { header: 'REASON', value: (b) => b.reason ?? '-' },
  ];
}
