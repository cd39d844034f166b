import { createPrivateKey, createPublicKey, generateKeyPairSync, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { RandomSource } from '../crypto/seal.js';
import { usageError } from '../errors.js';
import { MIN_HMAC_SECRET_BYTES, type JwtAlg } from './algs.js';

/** Sealing purpose for private keys and HMAC secrets; each record is sealed with its kid as associated data. */
export const JWT_KEYS_PURPOSE = 'agentsec.jwt.keys.v1';

export interface PublicJwk {
  readonly kty: string;
  readonly kid: string;
  readonly alg: JwtAlg;
  readonly use: 'sig';
  readonly [member: string]: unknown;
}

export interface NewKeyMaterial {
  readonly kid: string;
  readonly alg: JwtAlg;
  /** What gets sealed: the private JWK as JSON, or the raw HMAC secret. */
  readonly secret: Buffer;
  /** Null for HS256: a shared secret has no public half and never goes into a JWKS. */
  readonly publicJwk: PublicJwk | null;
}

const PUBLIC_MEMBERS = ['kty', 'crv', 'x', 'y', 'n', 'e'] as const;

function publicMembers(jwk: JsonWebKey): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of PUBLIC_MEMBERS) if (typeof jwk[m] === 'string') out[m] = jwk[m] as string;
  return out;
}

function generatePair(alg: Exclude<JwtAlg, 'HS256'>): KeyObject {
  if (alg === 'EdDSA') return generateKeyPairSync('ed25519').privateKey;
  if (alg === 'ES256') return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
}

/**
 * Makes a new signing key. Asymmetric keys get the RFC 7638 thumbprint as kid; an HS256 secret (≥ 32 random bytes,
 * or the imported one) gets a random kid, since a thumbprint of a shared secret would be a hash of the secret.
 */
export async function makeKeyMaterial(alg: JwtAlg, env: { random: RandomSource; importedSecret?: Buffer | undefined }): Promise<NewKeyMaterial> {
  if (alg === 'HS256') {
    const secret = env.importedSecret ?? env.random(MIN_HMAC_SECRET_BYTES);
    if (secret.length < MIN_HMAC_SECRET_BYTES) throw usageError(`HS256 secret is ${secret.length} bytes: it must be at least ${MIN_HMAC_SECRET_BYTES} random bytes`);
    return { kid: `hs-${env.random(12).toString('base64url')}`, alg, secret: Buffer.from(secret), publicJwk: null };
  }
  if (env.importedSecret !== undefined) throw usageError('--secret-file is only for --alg HS256');
  const privateKey = generatePair(alg);
  const privateJwk = privateKey.export({ format: 'jwk' });
  const pub = publicMembers(privateJwk);
  const { calculateJwkThumbprint } = await import('jose');
  const kid = await calculateJwkThumbprint(pub as Parameters<typeof calculateJwkThumbprint>[0], 'sha256');
  return { kid, alg, secret: Buffer.from(JSON.stringify(privateJwk), 'utf8'), publicJwk: { ...pub, kty: pub['kty'] as string, kid, alg, use: 'sig' } };
}

/** The signing key from what was sealed. */
export function signingKeyFrom(alg: JwtAlg, secret: Buffer): KeyObject | Uint8Array {
  if (alg === 'HS256') return new Uint8Array(secret);
  return createPrivateKey({ key: JSON.parse(secret.toString('utf8')) as JsonWebKey, format: 'jwk' });
}

/** The verification key from the public JWK. */
export function publicKeyFrom(jwk: PublicJwk): KeyObject {
  return createPublicKey({ key: publicMembers(jwk as JsonWebKey) as JsonWebKey, format: 'jwk' });
}
