import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { AgentsecError, ExitCode } from '../errors.js';

const KEY_PREFIX = 'ed25519:';
// DER prefix of an Ed25519 SubjectPublicKeyInfo; the raw 32-byte key follows it.
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export interface SigningKey {
  readonly privateKey: KeyObject;
  /** `ed25519:<base64 of the raw 32-byte public key>`. */
  readonly publicKey: string;
}

export function generateSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKey: encodePublicKey(publicKey) };
}

export function encodePublicKey(key: KeyObject): string {
  const der = key.export({ type: 'spki', format: 'der' });
  return `${KEY_PREFIX}${der.subarray(SPKI_PREFIX.length).toString('base64')}`;
}

/** Parses `ed25519:<base64>`; anything else is a usage error naming the value's origin. */
export function decodePublicKey(text: string, what = 'public key'): KeyObject {
  const t = text.trim();
  const raw = t.startsWith(KEY_PREFIX) ? Buffer.from(t.slice(KEY_PREFIX.length), 'base64') : undefined;
  if (!raw || raw.length !== 32 || raw.toString('base64') !== t.slice(KEY_PREFIX.length)) {
    throw new AgentsecError(`${what} is not an agentsec audit key: expected ed25519:<base64 of 32 bytes>`, ExitCode.Usage);
  }
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
}

/** `SHA256:<base64>` of the raw public key, the form to compare by eye or over the phone. */
export function fingerprint(publicKey: string): string {
  const raw = Buffer.from(publicKey.slice(KEY_PREFIX.length), 'base64');
  return `SHA256:${createHash('sha256').update(raw).digest('base64').replace(/=+$/, '')}`;
}

export function exportPrivateKey(key: KeyObject): Buffer {
  return key.export({ type: 'pkcs8', format: 'der' });
}

export function importPrivateKey(der: Buffer): SigningKey {
  const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new AgentsecError('audit signing key is not an Ed25519 key', ExitCode.Runtime);
  return { privateKey, publicKey: encodePublicKey(createPublicKey(privateKey)) };
}

export function signBytes(key: KeyObject, data: Buffer): Buffer {
  return sign(null, data, key);
}

export function verifyBytes(publicKey: KeyObject, data: Buffer, signature: Buffer): boolean {
  try {
    return verify(null, data, publicKey, signature);
  } catch {
    return false;
  }
}
