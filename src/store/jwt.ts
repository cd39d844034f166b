import type { JwtAlg, JwtKeyMeta, TokenKind } from '../core/jwt/algs.js';
import type { PublicJwk } from '../core/jwt/key-material.js';

export interface JwtKeyRow extends JwtKeyMeta {
  /** The public half (asymmetric keys); null for an HMAC secret, which is never published. */
  readonly publicJwk: PublicJwk | null;
  /** The private half or HMAC secret, sealed under the master key's JWT subkey with the kid as associated data. */
  readonly privateSealed: Buffer;
  /** The external issuer whose tokens this key verifies (see {@link JwtIssuerRow}); null for agentsec's own keys. */
  readonly issuerName: string | null;
}

/**
 * An external token issuer: another server sharing an HS256 secret (`secret`), or an identity provider whose
 * published keys were imported from a JWKS file (`jwks`). Its tokens must name `issuer` and one of `audience`
 * whenever these are set.
 */
export interface JwtIssuerRow {
  readonly name: string;
  readonly kind: 'secret' | 'jwks';
  readonly issuer: string | null;
  readonly audience: readonly string[] | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** A revocation as the in-memory denylist keeps it (see `revocations`). */
export interface RevocationRow {
  readonly kind: 'jti' | 'sub';
  readonly value: string;
  readonly revokedAt: number;
  readonly expiresAt: number;
}

/** A token agentsec issued, as its ledger keeps it (never the token itself). */
export interface IssuedTokenRow {
  readonly jti: string;
  readonly kind: TokenKind;
  readonly sub: string;
  readonly kid: string;
  /** The refresh family every token minted from one login shares; null for an access token issued alone. */
  readonly family: string | null;
  readonly issuedAt: number;
  readonly expiresAt: number;
  /** When a refresh token was spent; null while unused. */
  readonly usedAt: number | null;
  readonly replacedBy: string | null;
}

export type NewJwtKey = Pick<JwtKeyRow, 'kid' | 'alg' | 'createdAt' | 'publicJwk' | 'privateSealed'> & { readonly issuerName?: string | null };

/**
 * The JWT keyring (private halves sealed), the ledger of issued tokens and the revocations. Times in ms. The service
 * calls the writing methods inside `store.transaction`; `markUsed` is the compare-and-set that lets one refresh win.
 */
export interface JwtRepository {
  insertKey(k: NewJwtKey): Promise<void>;
  /** Every key, oldest first. */
  keys(): Promise<JwtKeyRow[]>;
  key(kid: string): Promise<JwtKeyRow | undefined>;
  /** True when any key is HS256 (verifying then needs the master key). */
  hasHmacKey(): Promise<boolean>;
  /** False when it was already retired. */
  retire(kid: string, at: number): Promise<boolean>;
  /** Raises the key's latest token expiry to `exp` (never lowers it). */
  noteSigned(kid: string, exp: number): Promise<void>;
  insertToken(t: Omit<IssuedTokenRow, 'usedAt' | 'replacedBy'>): Promise<void>;
  token(jti: string): Promise<IssuedTokenRow | undefined>;
  familyTokens(family: string): Promise<IssuedTokenRow[]>;
  /** Marks a refresh token used once; false when it already was. */
  markUsed(jti: string, at: number, replacedBy: string): Promise<boolean>;
  /** Forgets ledger rows and revocations that expired before `before`. */
  purge(before: number): Promise<void>;
  /**
   * Denies a jti, or raises a subject's revocation mark: to `at`, or by 1 when that would not raise it (the same
   * millisecond, a clock that went back), so every revocation exceeds every mark a token was issued under. The entry
   * is kept until the later of its `expiresAt`s.
   */
  revoke(kind: 'jti' | 'sub', value: string, at: number, expiresAt: number): Promise<void>;
  /**
   * True when the jti is denied, or the subject's revocation mark reached `subjectThreshold` (the token's own mark
   * + 1, or its iat second for a token without one: see core/jwt/revocation.ts).
   */
  isRevoked(jti: string | undefined, sub: string | undefined, subjectThreshold: number): Promise<boolean>;
  /** The subject's revocation mark (only grows; 0 when never revoked). Issued tokens carry it. */
  subjectMark(sub: string): Promise<number>;
  /** The latest expiry of any token any key signed; null when none ever signed. */
  latestExpiry(): Promise<number | null>;
  /** Every revocation still in force at `now` (for a verifier's in-memory denylist). */
  revocations(now: number): Promise<RevocationRow[]>;
  /** External issuers, by name. */
  issuers(): Promise<JwtIssuerRow[]>;
  issuer(name: string): Promise<JwtIssuerRow | undefined>;
  /** Adds an issuer, or updates its kind, issuer and audience (keeping `createdAt`). */
  putIssuer(i: JwtIssuerRow): Promise<void>;
  /** Removes an issuer and every key of it; false when there was none. */
  deleteIssuer(name: string): Promise<boolean>;
  /** Removes one key (a JWKS refresh dropping a key the IdP no longer publishes); false when there was none. */
  deleteKey(kid: string): Promise<boolean>;
}
