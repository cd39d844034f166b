import type { Cidr } from './cidr.js';
import type { IpAddress } from './ip.js';

/**
 * Fixed-width sortable keys for addresses and range bounds: the version digit, a colon, then the address as
 * lower-case hex (8 digits for IPv4, 32 for IPv6). Within one version, string order is numeric order, and the
 * version prefix keeps IPv4 and IPv6 apart (`::/0` never covers an IPv4 address), so "which range covers this IP"
 * is a comparison a B-tree index answers: `start <= key AND end >= key`.
 */
export type IpKey = string;

const HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hexOf(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i] as number] as string;
  return s;
}

/** The sortable key of one address. */
export function ipKey(ip: IpAddress): IpKey {
  return `${ip.version}:${hexOf(ip.bytes)}`;
}

/** The first and last address of a network, as sortable keys. */
export function cidrBounds(cidr: Cidr): { readonly start: IpKey; readonly end: IpKey } {
  const end = new Uint8Array(cidr.bytes);
  for (let bit = cidr.prefix; bit < end.length * 8; bit++) end[bit >> 3] = (end[bit >> 3] as number) | (1 << (7 - (bit & 7)));
  return { start: `${cidr.version}:${hexOf(cidr.bytes)}`, end: `${cidr.version}:${hexOf(end)}` };
}

/** The network of `prefix` bits that holds `ip` (host bits cleared). */
export function networkOf(ip: IpAddress, prefix: number): Cidr {
  const bytes = new Uint8Array(ip.bytes);
  for (let bit = prefix; bit < bytes.length * 8; bit++) bytes[bit >> 3] = (bytes[bit >> 3] as number) & ~(1 << (7 - (bit & 7)));
  return { version: ip.version, bytes, prefix };
}
