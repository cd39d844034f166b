/**
 * IP addresses as bytes, with one canonical text form: dotted-quad IPv4, RFC 5952 IPv6 (lower case, leading zeros
 * dropped, the longest run of two or more zero groups compressed), and IPv4-mapped IPv6 (`::ffff:a.b.c.d`) folded
 * to plain IPv4 so an allowlist entry matches however a proxy or dual-stack socket spells the client address.
 */
export interface IpAddress {
  readonly version: 4 | 6;
  /** 4 bytes for IPv4, 16 for IPv6. */
  readonly bytes: Uint8Array;
}

const IPV4_PART = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

function parseIpv4Bytes(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i] as string;
    // Leading zeros are refused: some parsers read them as octal, so `010.0.0.1` is ambiguous.
    if (!IPV4_PART.test(p)) return undefined;
    out[i] = Number(p);
  }
  return out;
}

/** Hex groups separated by `:`; a dotted IPv4 tail only where `v4Tail` allows it (the very end of the address). */
function parseGroups(text: string, v4Tail: boolean): number[] | undefined {
  if (text === '') return [];
  const groups: number[] = [];
  const parts = text.split(':');
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i] as string;
    if (v4Tail && i === parts.length - 1 && p.includes('.')) {
      const v4 = parseIpv4Bytes(p);
      if (!v4) return undefined;
      groups.push(((v4[0] as number) << 8) | (v4[1] as number), ((v4[2] as number) << 8) | (v4[3] as number));
    } else {
      if (!HEX_GROUP.test(p)) return undefined;
      groups.push(parseInt(p, 16));
    }
  }
  return groups;
}

function parseIpv6Bytes(text: string): Uint8Array | undefined {
  // Zone ids (`fe80::1%eth0`) name an interface of this host: meaningless in an allowlist, so refused.
  if (text.includes('%')) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  let groups: number[];
  if (halves.length === 2) {
    const head = parseGroups(halves[0] as string, false);
    const tail = parseGroups(halves[1] as string, true);
    if (!head || !tail || head.length + tail.length > 7) return undefined;
    groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    const all = parseGroups(text, true);
    if (!all || all.length !== 8) return undefined;
    groups = all;
  }
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[i * 2] = g >> 8;
    out[i * 2 + 1] = g & 0xff;
  });
  return out;
}

function isV4Mapped(bytes: Uint8Array): boolean {
  if (bytes.length !== 16) return false;
  for (let i = 0; i < 10; i++) if (bytes[i] !== 0) return false;
  return bytes[10] === 0xff && bytes[11] === 0xff;
}

export type IpParse = { readonly ok: true; readonly ip: IpAddress } | { readonly ok: false; readonly reason: string };

const NOT_AN_ADDRESS = 'not an IPv4 or IPv6 address';

/** Why a dotted IPv4 text (alone or as an IPv6 tail) is refused, for the error message. */
function ipv4Reason(text: string): string {
  const parts = text.split('.');
  if (parts.length !== 4) return 'an IPv4 address has exactly four dot-separated numbers';
  if (parts.some((p) => /^0\d/.test(p))) return 'a leading zero is ambiguous: some parsers read 010 as octal 8';
  if (parts.some((p) => /^\d+$/.test(p) && Number(p) > 255)) return 'each IPv4 number is 0-255';
  return 'each IPv4 part is a decimal number 0-255';
}

/**
 * The one strict parser every IP input goes through (command arguments and flags, library options, config): an
 * IPv4 address in dotted decimal or an IPv6 address (RFC 4291 text, optionally in brackets), nothing else. IPv4-mapped
 * IPv6 comes back as IPv4, so an address matches however a proxy or dual-stack socket spells it.
 *
 * Refused, with the reason, rather than repaired: surrounding or inner whitespace, leading zeros in an IPv4 number
 * (`010` is octal to some parsers, so two programs would disagree about the address), a trailing dot, short or hex
 * IPv4 forms (`127.1`, `0x7f.0.0.1`), zone ids (`fe80::1%eth0` names an interface of one host, meaningless in a
 * block or an allowlist), brackets around IPv4, and anything not ASCII. Trimming in one caller but not another is
 * how the same text came to mean an address to one command and garbage to the next.
 */
export function checkIp(text: string): IpParse {
  const bad = (reason: string): IpParse => ({ ok: false, reason });
  if (typeof text !== 'string' || text.length === 0) return bad('it is empty');
  if (/\s/.test(text)) return bad('it contains whitespace');
  if (/[^\x21-\x7e]/.test(text)) return bad('it contains a character that is not in an IP address');
  if (text.includes('%')) return bad('it has a zone id');
  if (text.length > 47) return bad('it is too long for an IP address');
  let t = text;
  if (t.startsWith('[') || t.endsWith(']')) {
    if (!(t.startsWith('[') && t.endsWith(']'))) return bad('unbalanced brackets');
    t = t.slice(1, -1);
    if (t.length === 0) return bad('it is empty');
    if (!t.includes(':')) return bad('brackets are only for IPv6 addresses');
  }
  if (t.endsWith('.')) return bad('it ends with a dot');
  if (!t.includes(':')) {
    const v4 = parseIpv4Bytes(t);
    return v4 ? { ok: true, ip: { version: 4, bytes: v4 } } : bad(/^[\d.]+$/.test(t) ? ipv4Reason(t) : NOT_AN_ADDRESS);
  }
  const v6 = parseIpv6Bytes(t);
  if (!v6) {
    const tail = /[:]([\d.]*\.[\d.]*)$/.exec(t)?.[1];
    return bad(tail !== undefined && !parseIpv4Bytes(tail) ? ipv4Reason(tail) : NOT_AN_ADDRESS);
  }
  if (isV4Mapped(v6)) return { ok: true, ip: { version: 4, bytes: v6.slice(12) } };
  return { ok: true, ip: { version: 6, bytes: v6 } };
}

/**
 * Parses an IP address with {@link checkIp}; undefined for anything else (the reason is dropped: use checkIp to
 * tell the user why).
 */
export function parseIp(text: string): IpAddress | undefined {
  const r = checkIp(text);
  return r.ok ? r.ip : undefined;
}

/** Quotes user input for a one-line error: cut to 64 characters, control characters escaped, whitespace kept visible. */
export function quoteInput(text: unknown): string {
  const shown = String(text).slice(0, 64).replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return `'${shown}'`;
}

/** The message for an IP input that {@link checkIp} refused: `'TEXT' is not an IPv4 or IPv6 address (REASON)`. */
export function badIpMessage(text: unknown, noun = 'an IPv4 or IPv6 address'): string {
  const r = typeof text === 'string' ? checkIp(text) : ({ ok: false, reason: 'it is not a string' } as const);
  return `${quoteInput(text)} is not ${noun}${r.ok || r.reason === NOT_AN_ADDRESS ? '' : ` (${r.reason})`}`;
}

/** The canonical text of an address (see the module comment). */
export function formatIp(ip: IpAddress): string {
  const b = ip.bytes;
  if (ip.version === 4) return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push(((b[i * 2] as number) << 8) | (b[i * 2 + 1] as number));
  // RFC 5952 §4.2: compress the longest run of zero groups (the first one on a tie), never a single group.
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** Parses and returns the canonical form, or undefined when `text` is not an IP address. */
export function canonicalIp(text: string): string | undefined {
  const ip = parseIp(text);
  return ip ? formatIp(ip) : undefined;
}
