import { subjectRevocationThreshold } from '../../core/jwt/revocation.js';
import { verifyToken, type JwtVerdict, type VerifyKeyring, type VerifyPolicy } from '../../core/jwt/verify.js';
import type { JwtDeps } from './keyring.js';

/** The verification policy; revocation is looked up in the store here. */
export type CheckOptions = Omit<VerifyPolicy, 'isRevoked'>;

/** Verifies a token against a keyring (see verifyRing) and the denylist of the store. */
export function checkToken(d: Pick<JwtDeps, 'store'>, token: string, ring: VerifyKeyring, o: CheckOptions): Promise<JwtVerdict> {
  const repo = d.store.jwt;
  return verifyToken(token, ring, {
    ...o,
    isRevoked: (c) => repo.isRevoked(typeof c['jti'] === 'string' ? c['jti'] : undefined, typeof c['sub'] === 'string' ? c['sub'] : undefined, subjectRevocationThreshold(c)),
  });
}
