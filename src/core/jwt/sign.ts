import type { KeyObject } from 'node:crypto';
import type { RandomSource } from '../crypto/seal.js';
import { ACCESS_TYP, REFRESH_TYP, type JwtAlg, type TokenKind } from './algs.js';
import { SUBJECT_MARK_CLAIM } from './revocation.js';

export interface SigningKey {
  readonly kid: string;
  readonly alg: JwtAlg;
  readonly key: KeyObject | Uint8Array;
}

export interface TokenClaims {
  readonly sub: string;
  readonly iss?: string | undefined;
  readonly aud?: readonly string[] | undefined;
  readonly scope?: readonly string[] | undefined;
  readonly role?: string | undefined;
  /** Refresh-token family: every token minted from one login shares it, so reuse can revoke them all. */
  readonly fam?: string | undefined;
  /** The subject's revocation mark when the token is issued (see core/jwt/revocation.ts). */
  readonly sgen?: number | undefined;
  readonly extra?: Readonly<Record<string, string>> | undefined;
}

export interface SignedToken {
  readonly token: string;
  readonly jti: string;
  readonly iat: number;
  readonly exp: number;
  readonly kind: TokenKind;
}

export function newJti(random: RandomSource): string {
  return random(16).toString('base64url');
}

/** Signs one access or refresh token with `exp`, `iat`, `nbf` and a random `jti`; times in seconds from `now` (ms). */
export async function signToken(key: SigningKey, kind: TokenKind, claims: TokenClaims, env: { now: number; ttlMs: number; random: RandomSource }): Promise<SignedToken> {
  const { SignJWT } = await import('jose');
  const iat = Math.floor(env.now / 1000);
  const exp = iat + Math.max(1, Math.floor(env.ttlMs / 1000));
  const jti = newJti(env.random);
  const payload: Record<string, unknown> = { ...(claims.extra ?? {}) };
  if (claims.scope && claims.scope.length > 0) payload['scope'] = claims.scope.join(' ');
  if (claims.role !== undefined) payload['role'] = claims.role;
  if (claims.fam !== undefined) payload['fam'] = claims.fam;
  if (claims.sgen !== undefined) payload[SUBJECT_MARK_CLAIM] = claims.sgen;
  let jwt = new SignJWT(payload)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: kind === 'access' ? ACCESS_TYP : REFRESH_TYP })
    .setSubject(claims.sub)
    .setIssuedAt(iat)
    .setNotBefore(iat)
    .setExpirationTime(exp)
    .setJti(jti);
  if (claims.iss !== undefined) jwt = jwt.setIssuer(claims.iss);
  if (claims.aud && claims.aud.length > 0) jwt = jwt.setAudience(claims.aud.length === 1 ? (claims.aud[0] as string) : [...claims.aud]);
  return { token: await jwt.sign(key.key), jti, iat, exp, kind };
}
