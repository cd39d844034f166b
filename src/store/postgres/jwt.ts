import type { IssuedTokenRow, JwtIssuerRow, JwtKeyRow, JwtRepository, NewJwtKey, RevocationRow } from '../jwt.js';
import type { Exec } from './exec.js';
import { type IssuerRow, type KeyRow, toIssuer, type TokenRow, toKey, toToken } from '../rows/jwt.js';

const KEY_COLS = 'kid, alg, created_at, retired_at, last_exp, public_jwk, private_sealed, issuer_name';

/**
 * jwt_keys, jwt_tokens and jwt_revocations. GREATEST() is PostgreSQL's spelling of SQLite's two-argument MAX().
 * `markUsed` is a compare-and-set UPDATE: across hosts, the second caller waits for the first commit, re-checks
 * `used_at IS NULL` and changes nothing, so exactly one refresh wins and the other is seen as reuse.
 */
export class PgJwtRepo implements JwtRepository {
  constructor(private readonly q: Exec) {}

  async insertKey(k: NewJwtKey): Promise<void> {
    await this.q.query('INSERT INTO jwt_keys (kid, alg, created_at, retired_at, last_exp, public_jwk, private_sealed, issuer_name) VALUES ($1, $2, $3, NULL, NULL, $4, $5, $6)', [
      k.kid,
      k.alg,
      k.createdAt,
      k.publicJwk === null ? null : JSON.stringify(k.publicJwk),
      k.privateSealed,
      k.issuerName ?? null,
    ]);
  }

  async keys(): Promise<JwtKeyRow[]> {
    return (await this.q.query<KeyRow>(`SELECT ${KEY_COLS} FROM jwt_keys ORDER BY created_at, seq`)).rows.map(toKey);
  }

  async key(kid: string): Promise<JwtKeyRow | undefined> {
    const r = (await this.q.query<KeyRow>(`SELECT ${KEY_COLS} FROM jwt_keys WHERE kid = $1`, [kid])).rows[0];
    return r ? toKey(r) : undefined;
  }

  async hasHmacKey(): Promise<boolean> {
    return (await this.q.query("SELECT 1 FROM jwt_keys WHERE alg = 'HS256' LIMIT 1")).rows.length > 0;
  }

  async retire(kid: string, at: number): Promise<boolean> {
    return (await this.q.query('UPDATE jwt_keys SET retired_at = $1 WHERE kid = $2 AND retired_at IS NULL', [at, kid])).rowCount > 0;
  }

  async noteSigned(kid: string, exp: number): Promise<void> {
    await this.q.query('UPDATE jwt_keys SET last_exp = $1 WHERE kid = $2 AND (last_exp IS NULL OR last_exp < $1)', [exp, kid]);
  }

  async insertToken(t: Omit<IssuedTokenRow, 'usedAt' | 'replacedBy'>): Promise<void> {
    await this.q.query('INSERT INTO jwt_tokens (jti, kind, sub, kid, family, issued_at, expires_at, used_at, replaced_by) VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, NULL)', [
      t.jti,
      t.kind,
      t.sub,
      t.kid,
      t.family,
      t.issuedAt,
      t.expiresAt,
    ]);
  }

  async token(jti: string): Promise<IssuedTokenRow | undefined> {
    const r = (await this.q.query<TokenRow>('SELECT * FROM jwt_tokens WHERE jti = $1', [jti])).rows[0];
    return r ? toToken(r) : undefined;
  }

  async familyTokens(family: string): Promise<IssuedTokenRow[]> {
    return (await this.q.query<TokenRow>('SELECT * FROM jwt_tokens WHERE family = $1', [family])).rows.map(toToken);
  }

  async markUsed(jti: string, at: number, replacedBy: string): Promise<boolean> {
    return (await this.q.query('UPDATE jwt_tokens SET used_at = $1, replaced_by = $2 WHERE jti = $3 AND used_at IS NULL', [at, replacedBy, jti])).rowCount > 0;
  }

  async purge(before: number): Promise<void> {
    await this.q.query('DELETE FROM jwt_tokens WHERE expires_at < $1', [before]);
    await this.q.query('DELETE FROM jwt_revocations WHERE expires_at < $1', [before]);
  }

  async revoke(kind: 'jti' | 'sub', value: string, at: number, expiresAt: number): Promise<void> {
    // The mark only grows, by at least 1 per revocation (see the interface); the upsert takes the row lock, so two
    // hosts revoking the same subject at once both raise it.
    await this.q.query(
      `INSERT INTO jwt_revocations (kind, value, revoked_at, expires_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (kind, value) DO UPDATE SET revoked_at = GREATEST(excluded.revoked_at, jwt_revocations.revoked_at + 1),
         expires_at = GREATEST(jwt_revocations.expires_at, excluded.expires_at)`,
      [kind, value, at, expiresAt],
    );
  }

  async isRevoked(jti: string | undefined, sub: string | undefined, subjectThreshold: number): Promise<boolean> {
    const r = await this.q.query("SELECT 1 FROM jwt_revocations WHERE (kind = 'jti' AND value = $1) OR (kind = 'sub' AND value = $2 AND revoked_at >= $3) LIMIT 1", [jti ?? '', sub ?? '', subjectThreshold]);
    return r.rows.length > 0;
  }

  async subjectMark(sub: string): Promise<number> {
    return (await this.q.query<{ m: number }>("SELECT revoked_at AS m FROM jwt_revocations WHERE kind = 'sub' AND value = $1", [sub])).rows[0]?.m ?? 0;
  }

  async latestExpiry(): Promise<number | null> {
    return (await this.q.query<{ m: number | null }>('SELECT max(last_exp) AS m FROM jwt_keys')).rows[0]?.m ?? null;
  }

  async revocations(now: number): Promise<RevocationRow[]> {
    const r = await this.q.query<{ kind: 'jti' | 'sub'; value: string; revoked_at: number; expires_at: number }>('SELECT kind, value, revoked_at, expires_at FROM jwt_revocations WHERE expires_at >= $1', [now]);
    return r.rows.map((x) => ({ kind: x.kind, value: x.value, revokedAt: x.revoked_at, expiresAt: x.expires_at }));
  }

  async issuers(): Promise<JwtIssuerRow[]> {
    // name is COLLATE "C": the byte order SQLite's ORDER BY name gives.
    return (await this.q.query<IssuerRow>('SELECT * FROM jwt_issuers ORDER BY name')).rows.map(toIssuer);
  }

  async issuer(name: string): Promise<JwtIssuerRow | undefined> {
    const r = (await this.q.query<IssuerRow>('SELECT * FROM jwt_issuers WHERE name = $1', [name])).rows[0];
    return r ? toIssuer(r) : undefined;
  }

  async putIssuer(i: JwtIssuerRow): Promise<void> {
    // created_at stays the first put's: an update (a JWKS refresh, a new secret) keeps when the issuer was trusted.
    await this.q.query(
      `INSERT INTO jwt_issuers (name, kind, issuer, audience, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, issuer = excluded.issuer, audience = excluded.audience, updated_at = excluded.updated_at`,
      [i.name, i.kind, i.issuer, i.audience === null ? null : JSON.stringify(i.audience), i.createdAt, i.updatedAt],
    );
  }

  async deleteIssuer(name: string): Promise<boolean> {
    // One statement: the foreign key's ON DELETE CASCADE (always enforced in PostgreSQL) removes the issuer's keys in
    // the same statement, so no host can ever see its keys without their issuer, even outside a transaction.
    return (await this.q.query('DELETE FROM jwt_issuers WHERE name = $1', [name])).rowCount > 0;
  }

  async deleteKey(kid: string): Promise<boolean> {
    return (await this.q.query('DELETE FROM jwt_keys WHERE kid = $1', [kid])).rowCount > 0;
  }
}
