import type { RandomSource } from '../crypto/seal.js';
import { crc32Ascii } from './crc32.js';
import { usageError } from '../errors.js';

export const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const DEFAULT_PREFIX = 'ask';
/** 43 base62 characters carry 43·log2(62) ≈ 256.03 bits. */
export const BODY_LENGTH = 43;
/** 62^6 > 2^32, so six characters hold any CRC-32. */
export const CHECKSUM_LENGTH = 6;
/** Lower-case letters and digits, starting with a letter: no `_`, so the three parts split unambiguously. */
export const PREFIX_PATTERN = /^[a-z][a-z0-9]{1,15}$/;
const KEY_PATTERN = /^([a-z][a-z0-9]{1,15})_([0-9A-Za-z]{43})_([0-9A-Za-z]{6})$/;
/** Finds candidate keys inside text (for `keys scan` and secret scanners); candidates still need {@link parseApiKey}. */
export const KEY_SEARCH_PATTERN = /(?<![0-9A-Za-z_])[a-z][a-z0-9]{1,15}_[0-9A-Za-z]{43}_[0-9A-Za-z]{6}(?![0-9A-Za-z_])/g;

/** Fixed-width base62 of a 32-bit number (most significant digit first). */
export function checksumText(n: number): string {
  let out = '';
  let v = n >>> 0;
  for (let i = 0; i < CHECKSUM_LENGTH; i++) {
    out = BASE62[v % 62] + out;
    v = Math.floor(v / 62);
  }
  return out;
}

export function computeChecksum(prefix: string, body: string): string {
  return checksumText(crc32Ascii(prefix + body));
}

/**
 * Draws `length` uniform base62 characters from the CSPRNG. Bytes ≥ 248 are discarded (248 = 4·62), so
 * no character is more likely than another.
 */
export function randomBase62(length: number, random: RandomSource): string {
  let out = '';
  while (out.length < length) {
    const bytes = random(length - out.length + 8);
    for (const b of bytes) {
      if (b >= 248) continue;
      out += BASE62[b % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

export interface ParsedApiKey {
  readonly prefix: string;
  readonly body: string;
  readonly checksum: string;
}

export type ApiKeyParse = { readonly ok: true; readonly key: ParsedApiKey } | { readonly ok: false; readonly reason: 'format' | 'checksum' };

/**
 * Checks a key offline: `format` when it is not `<prefix>_<43 base62>_<6 base62>` (surrounding whitespace included),
 * `checksum` when the shape is right but the CRC does not match (a typo or a made-up key).
 */
export function parseApiKey(text: string): ApiKeyParse {
  const m = KEY_PATTERN.exec(text);
  if (!m) return { ok: false, reason: 'format' };
  const [, prefix, body, checksum] = m as unknown as [string, string, string, string];
  if (computeChecksum(prefix, body) !== checksum) return { ok: false, reason: 'checksum' };
  return { ok: true, key: { prefix, body, checksum } };
}

/** Generates a new key with `prefix`. */
export function generateApiKey(prefix: string, random: RandomSource): string {
  if (!PREFIX_PATTERN.test(prefix)) throw usageError(`--prefix: invalid key prefix '${prefix}': use 2-16 lower-case letters and digits, starting with a letter`);
  const body = randomBase62(BODY_LENGTH, random);
  return `${prefix}_${body}_${computeChecksum(prefix, body)}`;
}

/** The form shown in lists: the prefix and the last four characters, which belong to the checksum, not the secret body. */
export function displayForm(prefix: string, last4: string): string {
  return `${prefix}_…${last4}`;
}

/** A random record id (`key_` + 16 base62, ~95 bits): public, never derived from the key. */
export function newKeyId(random: RandomSource): string {
  return `key_${randomBase62(16, random)}`;
}
