import { subjectRevocationThreshold } from '../core/jwt/revocation.js';
import { verifyToken, type JwtVerdict, type VerifyKeyring, type VerifyPolicy } from '../core/jwt/verify.js';
import type { JwtRepo } from '../store/jwt-repo.js';

/** The verification policy; revocation is looked up in the store here. */
export type CheckOptions = Omit<VerifyPolicy, 'isRevoked'>;

/** Verifies a token against the keyring and the denylist of one store. */
export function checkToken(token: string, ring: VerifyKeyring, repo: JwtRepo, o: CheckOptions): Promise<JwtVerdict> {
  return verifyToken(token, ring, {
    ...o,
    isRevoked: (c) => repo.isRevoked(typeof c['jti'] === 'string' ? c['jti'] : undefined, typeof c['sub'] === 'string' ? c['sub'] : undefined, subjectRevocationThreshold(c)),
  });
}
