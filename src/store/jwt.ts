import type { JwtAlg } from '../core/jwt/algs.js';
import type { PublicJwk } from '../core/jwt/key-material.js';
import type { IssuedTokenRow, JwtKeyRow } from './jwt-repo.js';

export type { IssuedTokenRow, JwtKeyRow } from './jwt-repo.js';

/** The JWT keyring (private halves sealed), the ledger of issued tokens and the revocations. Times in ms. */
export interface JwtRepository {
  insertKey(k: { kid: string; alg: JwtAlg; createdAt: number; publicJwk: PublicJwk | null; privateSealed: Buffer }): Promise<void>;
  /** Every key, oldest first. */
  keys(): Promise<JwtKeyRow[]>;
  key(kid: string): Promise<JwtKeyRow | undefined>;
  hasHmacKey(): Promise<boolean>;
  /** False when it was already retired. */
  retire(kid: string, at: number): Promise<boolean>;
  /** Raises the key's latest token expiry to `exp`. */
  noteSigned(kid: string, exp: number): Promise<void>;
  insertToken(t: Omit<IssuedTokenRow, 'usedAt' | 'replacedBy'>): Promise<void>;
  token(jti: string): Promise<IssuedTokenRow | undefined>;
  familyTokens(family: string): Promise<IssuedTokenRow[]>;
  /** Marks a refresh token used once; false when it already was. */
  markUsed(jti: string, at: number, replacedBy: string): Promise<boolean>;
  /** Forgets ledger rows and revocations that expired before `before`. */
  purge(before: number): Promise<void>;
  revoke(kind: 'jti' | 'sub', value: string, at: number, expiresAt: number): Promise<void>;
  /**
   * True when the jti is denied, or the subject's revocation mark reached `subjectThreshold` (the token's own mark
   * + 1, or its iat second for a token without one: see core/jwt/revocation.ts).
   */
  isRevoked(jti: string | undefined, sub: string | undefined, subjectThreshold: number): Promise<boolean>;
  /** The subject's revocation mark (only grows; 0 when never revoked). Issued tokens carry it. */
  subjectMark(sub: string): Promise<number>;
  latestExpiry(): Promise<number | null>;
}
