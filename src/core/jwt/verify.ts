import type { KeyObject } from 'node:crypto';
import { missingPermissions, effectivePermissions, isRole } from '../apikeys/permissions.js';
import { ACCESS_TYP, REFRESH_TYP, type JwtAlg, type JwtReason, type TokenKind } from './algs.js';
import { parseTokenShape } from './token-shape.js';

/** A key that may verify: its public half (or the HMAC secret) and the one algorithm it was made for. */
export interface VerifyKey {
  readonly kid: string;
  readonly alg: JwtAlg;
  readonly key: KeyObject | Uint8Array;
}

export interface VerifyKeyring {
  /** Keys that still verify (active and retiring). */
  readonly keys: readonly VerifyKey[];
}

export interface VerifyPolicy {
  readonly now: number;
  readonly kind: TokenKind;
  readonly issuer?: string | undefined;
  /** Accepted audiences; the token must name at least one. */
  readonly audience?: readonly string[] | undefined;
  readonly clockToleranceS: number;
  readonly maxAgeS?: number | undefined;
  /** Permissions the token must grant through its `scope` and `role` claims. */
  readonly scopes?: readonly string[] | undefined;
  /** Called only after the signature and claims check out (a store lookup, so it may answer asynchronously). */
  readonly isRevoked?: ((claims: Readonly<Record<string, unknown>>) => boolean | Promise<boolean>) | undefined;
}

export interface JwtVerdict {
  readonly valid: boolean;
  readonly reason?: JwtReason;
  readonly header?: Record<string, unknown>;
  /** Only for a token whose signature verified. */
  readonly claims?: Record<string, unknown>;
  readonly missingScopes?: string[];
  readonly kid?: string;
}

// Headers that would let the token choose its own verification key: never honoured, always refused.
const KEY_BEARING_HEADERS = ['jwk', 'jku', 'x5u', 'x5c', 'x5t', 'x5t#S256'];

function normaliseTyp(typ: unknown): string | null {
  if (typeof typ !== 'string') return null;
  return typ.toLowerCase().replace(/^application\//, '');
}

function reasonFromJose(err: unknown): JwtReason {
  const e = err as { code?: string; claim?: string; reason?: string };
  switch (e.code) {
    case 'ERR_JWT_EXPIRED':
      // jose reports a maxTokenAge failure as expiry of the iat claim.
      return e.claim === 'iat' ? 'too-old' : 'expired';
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'bad-signature';
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return 'alg-not-allowed';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (e.reason === 'missing') return 'missing-claim';
      if (e.claim === 'iss') return 'wrong-issuer';
      if (e.claim === 'aud') return 'wrong-audience';
      if (e.claim === 'nbf') return 'not-yet-valid';
      if (e.claim === 'iat') return e.reason === 'check_failed' ? 'too-old' : 'malformed';
      if (e.claim === 'exp') return 'expired';
      return 'malformed';
    default:
      return 'malformed';
  }
}

/** Scopes a token grants: its space-separated `scope` claim (RFC 9068) plus its role's permissions. */
export function grantedPermissions(claims: Readonly<Record<string, unknown>>): string[] {
  const scope = typeof claims['scope'] === 'string' ? claims['scope'].split(' ').filter((s) => s !== '') : [];
  const role = typeof claims['role'] === 'string' && isRole(claims['role']) ? claims['role'] : null;
  return effectivePermissions(role, scope);
}

// jose loads on first use (it is heavy for start-up), then stays: a dynamic import per call costs throughput.
let joseVerify: typeof import('jose').jwtVerify | undefined;

type Selection = { ok: true; key: VerifyKey } | { ok: false; reason: JwtReason; kid?: string };

/**
 * Picks the verification key for a header: by `kid` from the keyring only (never from a key-bearing header), the
 * single key when there is no `kid`, and only if the header's `alg` is the one the key was made for — which is what
 * stops `none` and key confusion (an HS256 token "signed" with a public key).
 */
export function selectKey(header: Readonly<Record<string, unknown>>, ring: VerifyKeyring): Selection {
  if (typeof header['alg'] !== 'string') return { ok: false, reason: 'malformed' };
  if (KEY_BEARING_HEADERS.some((h) => h in header)) return { ok: false, reason: 'embedded-key' };
  let key: VerifyKey | undefined;
  if (header['kid'] !== undefined) {
    if (typeof header['kid'] !== 'string') return { ok: false, reason: 'malformed' };
    key = ring.keys.find((k) => k.kid === header['kid']);
  } else if (ring.keys.length > 1) {
    return { ok: false, reason: 'missing-kid' };
  } else {
    key = ring.keys[0];
  }
  if (!key) return { ok: false, reason: 'unknown-kid' };
  if (header['alg'] !== key.alg) return { ok: false, reason: 'alg-not-allowed', kid: key.kid };
  return { ok: true, key };
}

/**
 * Verifies the signature of any compact JWS (the payload need not be JSON) with the same key selection as
 * {@link verifyToken}; no claim is checked. For test vectors and raw JWS interop.
 */
export async function verifyJws(token: string, ring: VerifyKeyring): Promise<{ valid: true; payload: Uint8Array; kid: string } | { valid: false; reason: JwtReason }> {
  const shape = parseTokenShape(token);
  if (!shape.ok) return { valid: false, reason: 'malformed' };
  const picked = selectKey(shape.header, ring);
  if (!picked.ok) return { valid: false, reason: picked.reason };
  const { compactVerify } = await import('jose');
  try {
    const r = await compactVerify(token, picked.key.key, { algorithms: [picked.key.alg] });
    return { valid: true, payload: r.payload, kid: picked.key.kid };
  } catch (err) {
    return { valid: false, reason: reasonFromJose(err) };
  }
}

/**
 * Verifies a compact JWT strictly: the algorithm comes from the key (never from the token alone, never `none`), the
 * key is picked by `kid` from the keyring only (key-bearing headers are refused), `exp` is required, `iss`/`aud` are
 * checked whenever the policy names them, and the `typ` must match the expected kind. Returns a reason, never throws
 * for a bad token.
 */
export async function verifyToken(token: string, ring: VerifyKeyring, policy: VerifyPolicy): Promise<JwtVerdict> {
  const shape = parseTokenShape(token, { claims: false });
  if (!shape.ok) return { valid: false, reason: 'malformed' };
  const header = shape.header;
  const fail = (reason: JwtReason, extra: Partial<JwtVerdict> = {}): JwtVerdict => ({ valid: false, reason, header, ...extra });
  const picked = selectKey(header, ring);
  if (!picked.ok) return fail(picked.reason, picked.kid ? { kid: picked.kid } : {});
  const key = picked.key;
  const expectedTyp = policy.kind === 'access' ? ACCESS_TYP : REFRESH_TYP;
  if (normaliseTyp(header['typ']) !== expectedTyp) return fail('wrong-type', { kid: key.kid });
  const jwtVerify = joseVerify ?? (joseVerify = (await import('jose')).jwtVerify);
  let claims: Record<string, unknown>;
  try {
    const r = await jwtVerify(token, key.key, {
      algorithms: [key.alg],
      currentDate: new Date(policy.now),
      clockTolerance: policy.clockToleranceS,
      requiredClaims: ['exp'],
      ...(policy.issuer !== undefined ? { issuer: policy.issuer } : {}),
      ...(policy.audience !== undefined && policy.audience.length > 0 ? { audience: [...policy.audience] } : {}),
      ...(policy.maxAgeS !== undefined ? { maxTokenAge: policy.maxAgeS } : {}),
    });
    claims = r.payload as Record<string, unknown>;
  } catch (err) {
    return fail(reasonFromJose(err), { kid: key.kid });
  }
  if (policy.isRevoked && (await policy.isRevoked(claims))) return fail('revoked', { kid: key.kid });
  if (policy.scopes && policy.scopes.length > 0) {
    const missing = missingPermissions(grantedPermissions(claims), policy.scopes);
    if (missing.length > 0) return fail('insufficient-scope', { kid: key.kid, claims, missingScopes: missing });
  }
  return { valid: true, header, claims, kid: key.kid };
}
