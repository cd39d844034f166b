import { checkIp, formatIp, quoteInput, type IpAddress } from './ip.js';

/** A network: its address (host bits all zero) and prefix length. */
export interface Cidr {
  readonly version: 4 | 6;
  readonly bytes: Uint8Array;
  readonly prefix: number;
}

export type CidrParse =
  | { readonly ok: true; readonly cidr: Cidr }
  | { readonly ok: false; readonly reason: 'not-an-ip' | 'bad-prefix' | 'host-bits-set'; readonly message: string };

function hostBitsSet(bytes: Uint8Array, prefix: number): boolean {
  for (let bit = prefix; bit < bytes.length * 8; bit++) {
    if (((bytes[bit >> 3] as number) >> (7 - (bit & 7))) & 1) return true;
  }
  return false;
}

function network(bytes: Uint8Array, prefix: number): Uint8Array {
  const out = new Uint8Array(bytes);
  for (let bit = prefix; bit < out.length * 8; bit++) out[bit >> 3] = (out[bit >> 3] as number) & ~(1 << (7 - (bit & 7)));
  return out;
}

/**
 * Parses `ADDR/PREFIX` or a bare address (a single host: /32 or /128), the address by the strict {@link checkIp}
 * (no whitespace, no leading zeros, no zone id), the prefix as a plain decimal. A network written with host bits set
 * (`10.0.0.1/8`) is refused rather than silently widened or narrowed: the writer meant something, and we cannot
 * tell what. An IPv4-mapped IPv6 network (`::ffff:10.0.0.0/104`) folds to IPv4 (`10.0.0.0/8`).
 */
export function parseCidr(text: string): CidrParse {
  const slash = text.indexOf('/');
  const addrText = slash < 0 ? text : text.slice(0, slash);
  const prefixText = slash < 0 ? undefined : text.slice(slash + 1);
  const checked = checkIp(addrText);
  if (!checked.ok) {
    const why = checked.reason === 'not an IPv4 or IPv6 address' ? '' : ` (${checked.reason})`;
    return { ok: false, reason: 'not-an-ip', message: `${quoteInput(text)} is not an IP address or CIDR${why}` };
  }
  const ip = checked.ip;
  // parseIp has already folded a mapped address to IPv4; its prefix was written against 128 bits, so shift it by 96.
  const mapped = ip.version === 4 && addrText.includes(':');
  const width = mapped ? 128 : ip.version === 4 ? 32 : 128;
  let prefix = width;
  if (prefixText !== undefined) {
    if (!/^(0|[1-9]\d{0,2})$/.test(prefixText) || Number(prefixText) > width) {
      return { ok: false, reason: 'bad-prefix', message: `${quoteInput(text)} has an invalid prefix length: use 0-${width}` };
    }
    prefix = Number(prefixText);
  }
  let version = ip.version;
  const bytes = ip.bytes;
  if (mapped) {
    if (prefix < 96) return { ok: false, reason: 'bad-prefix', message: `${quoteInput(text)} is an IPv4-mapped network with a prefix under 96: use an IPv4 CIDR` };
    prefix -= 96;
    version = 4;
  }
  if (hostBitsSet(bytes, prefix)) {
    const suggestion = formatCidr({ version, bytes: network(bytes, prefix), prefix });
    return { ok: false, reason: 'host-bits-set', message: `${quoteInput(text)} has host bits set: did you mean ${suggestion}?` };
  }
  return { ok: true, cidr: { version, bytes: new Uint8Array(bytes), prefix } };
}

/** Canonical text: the canonical address and the prefix, always written (`10.0.0.0/8`, `2001:db8::/32`, `1.2.3.4/32`). */
export function formatCidr(cidr: Cidr): string {
  return `${formatIp({ version: cidr.version, bytes: cidr.bytes })}/${cidr.prefix}`;
}

/** True when `ip` is inside `cidr`. IPv4 never matches an IPv6 network and the reverse (mapped addresses are IPv4). */
export function cidrContains(cidr: Cidr, ip: IpAddress): boolean {
  if (cidr.version !== ip.version) return false;
  const full = cidr.prefix >> 3;
  for (let i = 0; i < full; i++) if (cidr.bytes[i] !== ip.bytes[i]) return false;
  const rest = cidr.prefix & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((cidr.bytes[full] as number) & mask) === ((ip.bytes[full] as number) & mask);
}

/** True when `ip` is inside any of `cidrs`. */
export function anyCidrContains(cidrs: readonly Cidr[], ip: IpAddress): boolean {
  return cidrs.some((c) => cidrContains(c, ip));
}
