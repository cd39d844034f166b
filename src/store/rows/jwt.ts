/**
 * The jwt_* tables' rows as both backends read them (the column names and types are the same in SQLite
 * and PostgreSQL), and their mapping to the repository's records.
 */
import type { JwtAlg, TokenKind } from '../../core/jwt/algs.js';
import type { PublicJwk } from '../../core/jwt/key-material.js';
import type { IssuedTokenRow, JwtIssuerRow, JwtKeyRow } from '../jwt.js';

export interface KeyRow {
  kid: string;
  alg: string;
  created_at: number;
  retired_at: number | null;
  last_exp: number | null;
  public_jwk: string | null;
  private_sealed: Buffer;
  issuer_name: string | null;
}

export interface IssuerRow {
  name: string;
  kind: string;
  issuer: string | null;
  audience: string | null;
  created_at: number;
  updated_at: number;
}

export function toIssuer(r: IssuerRow): JwtIssuerRow {
  return { name: r.name, kind: r.kind as JwtIssuerRow['kind'], issuer: r.issuer, audience: r.audience === null ? null : (JSON.parse(r.audience) as string[]), createdAt: r.created_at, updatedAt: r.updated_at };
}

export interface TokenRow {
  jti: string;
  kind: string;
  sub: string;
  kid: string;
  family: string | null;
  issued_at: number;
  expires_at: number;
  used_at: number | null;
  replaced_by: string | null;
}

export function toKey(r: KeyRow): JwtKeyRow {
  return {
    kid: r.kid,
    alg: r.alg as JwtAlg,
    createdAt: r.created_at,
    retiredAt: r.retired_at,
    lastExp: r.last_exp,
    publicJwk: r.public_jwk === null ? null : (JSON.parse(r.public_jwk) as PublicJwk),
    privateSealed: r.private_sealed,
    issuerName: r.issuer_name,
  };
}

export function toToken(r: TokenRow): IssuedTokenRow {
  return { jti: r.jti, kind: r.kind as TokenKind, sub: r.sub, kid: r.kid, family: r.family, issuedAt: r.issued_at, expiresAt: r.expires_at, usedAt: r.used_at, replacedBy: r.replaced_by };
}
