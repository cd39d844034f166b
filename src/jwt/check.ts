import type { TokenKind } from '../core/jwt/algs.js';
import { verifyToken, type JwtVerdict, type VerifyKeyring } from '../core/jwt/verify.js';
import type { JwtRepo } from '../store/jwt-repo.js';

export interface CheckOptions {
  readonly now: number;
  readonly kind: TokenKind;
  readonly issuer?: string | undefined;
  readonly audience?: readonly string[] | undefined;
  readonly clockToleranceS: number;
  readonly maxAgeS?: number | undefined;
  readonly scopes?: readonly string[] | undefined;
}

/** Verifies a token against the keyring and the denylist of one store. */
export function checkToken(token: string, ring: VerifyKeyring, repo: JwtRepo, o: CheckOptions): Promise<JwtVerdict> {
  return verifyToken(token, ring, {
    ...o,
    isRevoked: (c) =>
      repo.isRevoked(typeof c['jti'] === 'string' ? c['jti'] : undefined, typeof c['sub'] === 'string' ? c['sub'] : undefined, typeof c['iat'] === 'number' ? c['iat'] : undefined),
  });
}
