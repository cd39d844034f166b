import { createHmac } from 'node:crypto';

/** The HKDF purpose of the key that fingerprints secret values. */
export const FINGERPRINT_PURPOSE = 'agentsec.secrets.fingerprint.v1';

/**
 * A keyed fingerprint of a secret value: the first 64 bits of HMAC-SHA256 under a key derived from the master key.
 * Enough to tell whether a value changed; useless for guessing it without the key, unlike a plain hash.
 */
export function fingerprintSecret(key: Uint8Array, value: string): string {
  return createHmac('sha256', key).update(value, 'utf8').digest('hex').slice(0, 16);
}
