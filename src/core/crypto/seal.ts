import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { AgentsecError, ExitCode } from '../errors.js';

const VERSION = 0x01;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export type RandomSource = (bytes: number) => Buffer;
export const systemRandom: RandomSource = (n) => randomBytes(n);

function assertKey(key: Uint8Array): void {
  if (key.length !== 32) throw new AgentsecError('encryption key must be 32 bytes', ExitCode.Runtime);
}

/**
 * Encrypts `plaintext` with AES-256-GCM under `key`, binding it to `recordId` as associated data so a
 * ciphertext moved to another record fails to open. Layout: version(1) | nonce(12) | ciphertext | tag(16).
 */
export function seal(key: Uint8Array, plaintext: Uint8Array, recordId: string, random: RandomSource = systemRandom): Buffer {
  assertKey(key);
  const nonce = random(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(recordId, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), nonce, body, cipher.getAuthTag()]);
}

/**
 * Decrypts what {@link seal} produced. A tampered ciphertext, another record's ciphertext or a wrong key is an
 * error (never garbage output): GCM authenticates before anything is returned.
 */
export function open(key: Uint8Array, sealed: Uint8Array, recordId: string): Buffer {
  assertKey(key);
  const fail = () => new AgentsecError(`cannot decrypt record ${recordId}: wrong master key or tampered data`, ExitCode.Runtime);
  if (sealed.length < 1 + NONCE_BYTES + TAG_BYTES || sealed[0] !== VERSION) throw fail();
  const nonce = sealed.subarray(1, 1 + NONCE_BYTES);
  const tag = sealed.subarray(sealed.length - TAG_BYTES);
  const body = sealed.subarray(1 + NONCE_BYTES, sealed.length - TAG_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(recordId, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    throw fail();
  }
}

/**
 * Derives an independent 32-byte key for one purpose (`agentsec.apikeys.hmac.v1` …) from the master key with
 * HKDF-SHA256, so that no two features ever use the same key material.
 */
export function deriveSubkey(masterKey: Uint8Array, purpose: string): Buffer {
  assertKey(masterKey);
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), Buffer.from(purpose, 'utf8'), 32));
}

/** A value that proves knowledge of the key (to detect a wrong passphrase) without revealing it. */
export function keyCheck(key: Uint8Array): string {
  return createHmac('sha256', key).update('agentsec.master-key.check.v1').digest('hex');
}

/** Constant-time equality for secrets and MACs; different lengths are unequal without an early exit on content. */
export function constantTimeEqual(a: Uint8Array | string, b: Uint8Array | string): boolean {
  const x = typeof a === 'string' ? Buffer.from(a, 'utf8') : Buffer.from(a);
  const y = typeof b === 'string' ? Buffer.from(b, 'utf8') : Buffer.from(b);
  if (x.length !== y.length) {
    timingSafeEqual(x, x);
    return false;
  }
  return timingSafeEqual(x, y);
}
