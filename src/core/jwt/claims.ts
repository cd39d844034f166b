/**
 * The registered-claim checks of a verified JWT, in the order and with the outcomes of jose's validateClaimsSet
 * (the differential test in test/core/jwt/fast-verify.test.ts holds the two together), mapped to agentsec's reasons.
 */
import type { JwtReason } from './algs.js';

export interface ClaimsPolicy {
  /** ms */
  readonly now: number;
  readonly clockToleranceS: number;
  readonly issuer?: string | undefined;
  readonly audience?: readonly string[] | undefined;
  readonly maxAgeS?: number | undefined;
}

const has = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

function audienceMatches(aud: unknown, accepted: readonly string[]): boolean {
  if (typeof aud === 'string') return accepted.includes(aud);
  return Array.isArray(aud) && accepted.some((a) => aud.includes(a));
}

/** Null when the claims pass; otherwise the reason. `exp` is always required. */
export function checkClaims(claims: Readonly<Record<string, unknown>>, p: ClaimsPolicy): JwtReason | null {
  const audience = p.audience !== undefined && p.audience.length > 0 ? p.audience : undefined;
  if (!has(claims, 'exp') || (p.issuer !== undefined && !has(claims, 'iss')) || (audience && !has(claims, 'aud')) || (p.maxAgeS !== undefined && !has(claims, 'iat'))) return 'missing-claim';
  if (p.issuer !== undefined && claims['iss'] !== p.issuer) return 'wrong-issuer';
  if (audience && !audienceMatches(claims['aud'], audience)) return 'wrong-audience';
  const now = Math.floor(p.now / 1000);
  const tol = p.clockToleranceS;
  const iat = claims['iat'];
  if (iat !== undefined && typeof iat !== 'number') return 'malformed';
  const nbf = claims['nbf'];
  if (nbf !== undefined && (typeof nbf !== 'number' || nbf > now + tol)) return 'not-yet-valid';
  const exp = claims['exp'];
  if (typeof exp !== 'number' || exp <= now - tol) return 'expired';
  if (p.maxAgeS !== undefined) {
    const age = now - (iat as number);
    if (age - tol > p.maxAgeS || age < -tol) return 'too-old';
  }
  return null;
}
