/**
 * Reading an identity provider's published keys (a JWKS document the user saved) into keys agentsec may verify
 * with. Pure: the caller reads the file. Refuses rather than guesses wherever a guess would widen what verifies.
 */
import { createPublicKey, type JsonWebKey } from 'node:crypto';
import { usageError } from '../errors.js';
import type { JwtAlg } from './algs.js';
import type { PublicJwk } from './key-material.js';

/** The algorithms an IdP key may be pinned to (an HMAC secret is never published, so never trusted from a JWKS). */
export const TRUSTED_JWKS_ALGS = ['RS256', 'ES256', 'EdDSA'] as const satisfies readonly JwtAlg[];

/** JWK members that only a private (or symmetric) key has: a JWKS holding one is a leak, not a key set. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

export interface TrustedKey {
  readonly kid: string;
  readonly alg: JwtAlg;
  /** Only the public members, with kid, alg and use. */
  readonly jwk: PublicJwk;
}

export interface ParsedJwks {
  readonly keys: readonly TrustedKey[];
  /** Keys left out, with why (an encryption key, an algorithm agentsec does not verify). */
  readonly skipped: readonly { readonly kid: string; readonly why: string }[];
}

const KID = /^[\x21-\x7e]{1,200}$/;
const MIN_RSA_BITS = 2048;

/** The algorithm a key's type implies, when only one is possible; RSA keys must say (RS256 and PS256 share them). */
function impliedAlg(jwk: Record<string, unknown>): JwtAlg | undefined {
  if (jwk['kty'] === 'OKP' && jwk['crv'] === 'Ed25519') return 'EdDSA';
  if (jwk['kty'] === 'EC' && jwk['crv'] === 'P-256') return 'ES256';
  return undefined;
}

function fits(alg: JwtAlg, jwk: Record<string, unknown>): boolean {
  if (alg === 'RS256') return jwk['kty'] === 'RSA';
  if (alg === 'ES256') return jwk['kty'] === 'EC' && jwk['crv'] === 'P-256';
  if (alg === 'EdDSA') return jwk['kty'] === 'OKP' && jwk['crv'] === 'Ed25519';
  return false;
}

/**
 * Parses a JWKS document (`{"keys": [...]}`) into trusted verification keys. Each key is pinned to one algorithm:
 * its `alg` member, or the only one its curve allows. Refused (a usage error naming `source`): text that is not a
 * JWKS, any private or symmetric key material anywhere in it, a key without a kid, two keys with one kid, a
 * signing key whose alg does not fit its type, RSA under 2048 bits, and a file with no usable key. Left out and
 * reported: encryption keys and algorithms agentsec does not verify.
 */
export function parseTrustedJwks(text: string, source: string): ParsedJwks {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw usageError(`${source}: not JSON: save the IdP's JWKS document (its jwks_uri) as it is`);
  }
  const list = doc !== null && typeof doc === 'object' && !Array.isArray(doc) ? (doc as Record<string, unknown>)['keys'] : undefined;
  if (!Array.isArray(list)) throw usageError(`${source}: not a JWKS: expected {"keys": [...]}`);
  if (list.length > 100) throw usageError(`${source}: ${list.length} keys: a JWKS of more than 100 keys is refused`);
  // Checked over the whole document first: a leaked private key is refused even beside keys that would be skipped.
  for (const raw of list) {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw usageError(`${source}: every member of keys must be a JWK object`);
    const leaked = PRIVATE_MEMBERS.filter((m) => m in raw);
    if (leaked.length > 0 || (raw as Record<string, unknown>)['kty'] === 'oct') {
      throw usageError(`${source}: holds private or symmetric key material (${leaked.length > 0 ? leaked.join(', ') : 'kty oct'}): a published JWKS has public keys only; nothing was imported`);
    }
  }
  const keys: TrustedKey[] = [];
  const skipped: { kid: string; why: string }[] = [];
  const seen = new Set<string>();
  for (const raw of list as Record<string, unknown>[]) {
    const kid = raw['kid'];
    if (typeof kid !== 'string' || !KID.test(kid)) throw usageError(`${source}: a key has no usable kid: tokens name their key by kid, so every trusted key needs one`);
    if (seen.has(kid)) throw usageError(`${source}: two keys share kid '${kid.slice(0, 80)}'`);
    seen.add(kid);
    if (raw['use'] !== undefined && raw['use'] !== 'sig') {
      skipped.push({ kid, why: `use ${String(raw['use']).slice(0, 20)}` });
      continue;
    }
    const ops = raw['key_ops'];
    if (Array.isArray(ops) && !ops.includes('verify')) {
      skipped.push({ kid, why: 'key_ops without verify' });
      continue;
    }
    const named = raw['alg'];
    if (named === 'none') throw usageError(`${source}: key '${kid.slice(0, 80)}' names alg none`);
    let alg: JwtAlg | undefined;
    if (named === undefined) {
      alg = impliedAlg(raw);
      if (!alg) throw usageError(`${source}: key '${kid.slice(0, 80)}' has no alg and its type allows more than one: add "alg" (e.g. RS256) to it`);
    } else if (typeof named === 'string' && (TRUSTED_JWKS_ALGS as readonly string[]).includes(named)) {
      alg = named as JwtAlg;
    } else {
      skipped.push({ kid, why: `alg ${String(named).slice(0, 20)} is not verified by agentsec (${TRUSTED_JWKS_ALGS.join(', ')})` });
      continue;
    }
    if (!fits(alg, raw)) throw usageError(`${source}: key '${kid.slice(0, 80)}' says alg ${alg} but is a ${String(raw['kty']).slice(0, 10)} key${raw['crv'] ? ` on ${String(raw['crv']).slice(0, 20)}` : ''}`);
    const pub: Record<string, string> = {};
    for (const m of ['kty', 'crv', 'x', 'y', 'n', 'e']) if (typeof raw[m] === 'string') pub[m] = raw[m] as string;
    let bits: number | undefined;
    try {
      bits = createPublicKey({ key: pub as JsonWebKey, format: 'jwk' }).asymmetricKeyDetails?.modulusLength;
    } catch {
      throw usageError(`${source}: key '${kid.slice(0, 80)}' is not a valid public key`);
    }
    if (alg === 'RS256' && (bits ?? 0) < MIN_RSA_BITS) throw usageError(`${source}: key '${kid.slice(0, 80)}' is RSA-${bits ?? '?'}: below ${MIN_RSA_BITS} bits is refused`);
    keys.push({ kid, alg, jwk: { ...pub, kty: pub['kty'] as string, kid, alg, use: 'sig' } });
  }
  if (keys.length === 0) throw usageError(`${source}: no signing key agentsec can verify with${skipped.length > 0 ? ` (skipped: ${skipped.map((s) => `${s.kid} ${s.why}`).join('; ').slice(0, 300)})` : ''}`);
  return { keys, skipped };
}
