import type { RandomSource } from '../crypto/seal.js';

export const ENCODINGS = ['base64url', 'base64', 'hex', 'alnum'] as const;
export type Encoding = (typeof ENCODINGS)[number];

export const MIN_SECRET_BYTES = 16;
export const MAX_SECRET_BYTES = 1024;

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function isEncoding(text: string): text is Encoding {
  return (ENCODINGS as readonly string[]).includes(text);
}

/**
 * Alphanumeric text carrying at least `bytes` × 8 bits: each character is drawn uniformly from 62 by rejection
 * sampling (bytes ≥ 248 are discarded, so there is no modulo bias).
 */
function alnum(bytes: number, random: RandomSource): string {
  const chars = Math.ceil((bytes * 8) / Math.log2(ALNUM.length));
  let out = '';
  while (out.length < chars) {
    for (const b of random(chars * 2)) {
      if (b >= 248) continue;
      out += ALNUM[b % 62];
      if (out.length === chars) break;
    }
  }
  return out;
}

/** A fresh secret of `bytes` random bytes from `random` (a CSPRNG in production) in the chosen text encoding. */
export function generateSecret(bytes: number, encoding: Encoding, random: RandomSource): string {
  if (encoding === 'alnum') return alnum(bytes, random);
  const raw = random(bytes);
  try {
    return raw.toString(encoding);
  } finally {
    raw.fill(0);
  }
}
