/**
 * The algorithms agentsec signs with, the token types it issues, and the reasons a verification fails. Kept free of
 * jose so that command registration can read these constants without loading it.
 */
export const JWT_ALGS = ['EdDSA', 'ES256', 'RS256', 'HS256'] as const;
export type JwtAlg = (typeof JWT_ALGS)[number];

export function isJwtAlg(text: string): text is JwtAlg {
  return (JWT_ALGS as readonly string[]).includes(text);
}

/** RFC 9068 access-token type; refresh tokens get a distinct type so one can never pass for the other. */
export const ACCESS_TYP = 'at+jwt';
export const REFRESH_TYP = 'rt+jwt';
export type TokenKind = 'access' | 'refresh';

/** HMAC secrets shorter than this are refused: RFC 7518 §3.2 requires a key at least as long as the hash. */
export const MIN_HMAC_SECRET_BYTES = 32;

export const DEFAULT_ACCESS_TTL_MS = 15 * 60_000;
export const DEFAULT_REFRESH_TTL_MS = 7 * 86_400_000;
export const MAX_ACCESS_TTL_MS = 24 * 3_600_000;
export const MAX_REFRESH_TTL_MS = 90 * 86_400_000;
export const DEFAULT_CLOCK_TOLERANCE_S = 30;

/** Claims agentsec sets itself; `--claim` may not override them. */
export const RESERVED_CLAIMS: ReadonlySet<string> = new Set(['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti', 'scope', 'role', 'fam', 'sgen', 'typ', 'kid', 'cnf']);

export const JWT_REASONS = [
  'malformed',
  'alg-not-allowed',
  'embedded-key',
  'unknown-kid',
  'missing-kid',
  'bad-signature',
  'expired',
  'not-yet-valid',
  'missing-claim',
  'wrong-issuer',
  'wrong-audience',
  'wrong-type',
  'too-old',
  'revoked',
  'insufficient-scope',
] as const;
export type JwtReason = (typeof JWT_REASONS)[number];

export interface JwtKeyMeta {
  readonly kid: string;
  readonly alg: JwtAlg;
  readonly createdAt: number;
  readonly retiredAt: number | null;
  /** The latest `exp` (ms) of any token this key signed; null when it never signed. */
  readonly lastExp: number | null;
}

export type KeyStatus = 'active' | 'retiring' | 'retired';

/**
 * A retired key keeps verifying until every token it signed has expired (plus the clock tolerance a verifier may
 * grant), and only then leaves the JWKS.
 */
export function keyStatus(k: JwtKeyMeta, now: number, toleranceMs = DEFAULT_CLOCK_TOLERANCE_S * 1000): KeyStatus {
  if (k.retiredAt === null) return 'active';
  return k.lastExp !== null && now <= k.lastExp + toleranceMs ? 'retiring' : 'retired';
}
