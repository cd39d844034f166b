import type { Db } from '../db.js';
import type { IssuedTokenRow, JwtIssuerRow, JwtKeyRow, JwtRepository, NewJwtKey, RevocationRow } from '../jwt.js';
import type { Sync } from './async-repo.js';
import { type IssuerRow, type KeyRow, toIssuer, type TokenRow, toKey, toToken } from '../rows/jwt.js';

/**
 * jwt_keys, jwt_tokens and jwt_revocations. Times in milliseconds. Two-argument MAX() (a scalar in SQLite) is this
 * dialect's GREATEST(): where a backend's SQL differs, it stays in its own folder.
 */
export class JwtRepo implements Sync<JwtRepository> {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      insertKey: db.prepare(`INSERT INTO jwt_keys (kid, alg, created_at, retired_at, last_exp, public_jwk, private_sealed, issuer_name)
        VALUES (@kid, @alg, @created_at, NULL, NULL, @public_jwk, @private_sealed, @issuer_name)`),
      keys: db.prepare<[], KeyRow>('SELECT * FROM jwt_keys ORDER BY created_at, rowid'),
      key: db.prepare<[string], KeyRow>('SELECT * FROM jwt_keys WHERE kid = ?'),
      retire: db.prepare<[number, string]>('UPDATE jwt_keys SET retired_at = ? WHERE kid = ? AND retired_at IS NULL'),
      bumpExp: db.prepare<[number, string, number]>('UPDATE jwt_keys SET last_exp = ? WHERE kid = ? AND (last_exp IS NULL OR last_exp < ?)'),
      insertToken: db.prepare(`INSERT INTO jwt_tokens (jti, kind, sub, kid, family, issued_at, expires_at, used_at, replaced_by)
        VALUES (@jti, @kind, @sub, @kid, @family, @issued_at, @expires_at, NULL, NULL)`),
      token: db.prepare<[string], TokenRow>('SELECT * FROM jwt_tokens WHERE jti = ?'),
      family: db.prepare<[string], TokenRow>('SELECT * FROM jwt_tokens WHERE family = ?'),
      markUsed: db.prepare<[number, string, string]>('UPDATE jwt_tokens SET used_at = ?, replaced_by = ? WHERE jti = ? AND used_at IS NULL'),
      purgeTokens: db.prepare<[number]>('DELETE FROM jwt_tokens WHERE expires_at < ?'),
      purgeRevocations: db.prepare<[number]>('DELETE FROM jwt_revocations WHERE expires_at < ?'),
      // revoked_at is a subject's revocation mark as well as a time: it only ever grows, by at least 1 per revocation,
      // even at the same millisecond or with a clock that went back, so a new revocation always exceeds every mark a
      // token was issued under.
      revoke: db.prepare<[string, string, number, number]>(`INSERT INTO jwt_revocations (kind, value, revoked_at, expires_at) VALUES (?, ?, ?, ?)
        ON CONFLICT (kind, value) DO UPDATE SET revoked_at = MAX(excluded.revoked_at, jwt_revocations.revoked_at + 1),
          expires_at = MAX(jwt_revocations.expires_at, excluded.expires_at)`),
      subjectMark: db.prepare<[string], { m: number }>("SELECT revoked_at AS m FROM jwt_revocations WHERE kind = 'sub' AND value = ?"),
      revoked: db.prepare<[string, string, number], { n: number }>(
        "SELECT 1 AS n FROM jwt_revocations WHERE (kind = 'jti' AND value = ?) OR (kind = 'sub' AND value = ? AND revoked_at >= ?) LIMIT 1",
      ),
      maxExp: db.prepare<[], { m: number | null }>('SELECT MAX(last_exp) AS m FROM jwt_keys'),
      hmacKey: db.prepare<[], { n: number }>("SELECT 1 AS n FROM jwt_keys WHERE alg = 'HS256' LIMIT 1"),
      revocations: db.prepare<[number], { kind: 'jti' | 'sub'; value: string; revoked_at: number; expires_at: number }>('SELECT kind, value, revoked_at, expires_at FROM jwt_revocations WHERE expires_at >= ?'),
      issuers: db.prepare<[], IssuerRow>('SELECT * FROM jwt_issuers ORDER BY name'),
      issuer: db.prepare<[string], IssuerRow>('SELECT * FROM jwt_issuers WHERE name = ?'),
      putIssuer: db.prepare(`INSERT INTO jwt_issuers (name, kind, issuer, audience, created_at, updated_at) VALUES (@name, @kind, @issuer, @audience, @created_at, @updated_at)
        ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, issuer = excluded.issuer, audience = excluded.audience, updated_at = excluded.updated_at`),
      // Keys first: the schema's ON DELETE CASCADE needs foreign_keys=ON, which the store sets, but this does not rely on it.
      deleteIssuerKeys: db.prepare<[string]>('DELETE FROM jwt_keys WHERE issuer_name = ?'),
      deleteIssuer: db.prepare<[string]>('DELETE FROM jwt_issuers WHERE name = ?'),
      deleteKey: db.prepare<[string]>('DELETE FROM jwt_keys WHERE kid = ?'),
    };
  }

  insertKey(k: NewJwtKey): void {
    this.s.insertKey.run({ kid: k.kid, alg: k.alg, created_at: k.createdAt, public_jwk: k.publicJwk === null ? null : JSON.stringify(k.publicJwk), private_sealed: k.privateSealed, issuer_name: k.issuerName ?? null });
  }

  /** Every key, oldest first. */
  keys(): JwtKeyRow[] {
    return this.s.keys.all().map(toKey);
  }

  key(kid: string): JwtKeyRow | undefined {
    const r = this.s.key.get(kid);
    return r ? toKey(r) : undefined;
  }

  /** False when the key was already retired. */
  retire(kid: string, at: number): boolean {
    return this.s.retire.run(at, kid).changes > 0;
  }

  /** Records that `kid` signed a token expiring at `exp` (ms), so retirement knows how long it must keep verifying. */
  noteSigned(kid: string, exp: number): void {
    this.s.bumpExp.run(exp, kid, exp);
  }

  insertToken(t: Omit<IssuedTokenRow, 'usedAt' | 'replacedBy'>): void {
    this.s.insertToken.run({ jti: t.jti, kind: t.kind, sub: t.sub, kid: t.kid, family: t.family, issued_at: t.issuedAt, expires_at: t.expiresAt });
  }

  token(jti: string): IssuedTokenRow | undefined {
    const r = this.s.token.get(jti);
    return r ? toToken(r) : undefined;
  }

  familyTokens(family: string): IssuedTokenRow[] {
    return this.s.family.all(family).map(toToken);
  }

  /** Marks a refresh token used; false when another call already did (the caller treats that as reuse). */
  markUsed(jti: string, at: number, replacedBy: string): boolean {
    return this.s.markUsed.run(at, replacedBy, jti).changes > 0;
  }

  /** Forgets tokens and denylist entries that expired before `before`: they could not verify anyway. */
  purge(before: number): void {
    this.s.purgeTokens.run(before);
    this.s.purgeRevocations.run(before);
  }

  revoke(kind: 'jti' | 'sub', value: string, at: number, expiresAt: number): void {
    this.s.revoke.run(kind, value, at, expiresAt);
  }

  /**
   * A token is revoked when its jti is denied, or its subject's revocation mark reached `subjectThreshold` (from
   * subjectRevocationThreshold: the token's own mark + 1, or its iat second for a token without one).
   */
  isRevoked(jti: string | undefined, sub: string | undefined, subjectThreshold: number): boolean {
    // One indexed query per verification; an absent jti or sub binds '' which no entry has (values are non-empty).
    return this.s.revoked.get(jti ?? '', sub ?? '', subjectThreshold) !== undefined;
  }

  /** The subject's revocation mark: its latest revocation's revoked_at, 0 if it has none. Issued tokens carry it. */
  subjectMark(sub: string): number {
    return this.s.subjectMark.get(sub)?.m ?? 0;
  }

  hasHmacKey(): boolean {
    return this.s.hmacKey.get() !== undefined;
  }

  /** The latest expiry of any token any key signed: an upper bound for how long a denylist entry must stay. */
  latestExpiry(): number | null {
    return this.s.maxExp.get()?.m ?? null;
  }

  revocations(now: number): RevocationRow[] {
    return this.s.revocations.all(now).map((r) => ({ kind: r.kind, value: r.value, revokedAt: r.revoked_at, expiresAt: r.expires_at }));
  }

  issuers(): JwtIssuerRow[] {
    return this.s.issuers.all().map(toIssuer);
  }

  issuer(name: string): JwtIssuerRow | undefined {
    const r = this.s.issuer.get(name);
    return r ? toIssuer(r) : undefined;
  }

  putIssuer(i: JwtIssuerRow): void {
    this.s.putIssuer.run({ name: i.name, kind: i.kind, issuer: i.issuer, audience: i.audience === null ? null : JSON.stringify(i.audience), created_at: i.createdAt, updated_at: i.updatedAt });
  }

  deleteIssuer(name: string): boolean {
    this.s.deleteIssuerKeys.run(name);
    return this.s.deleteIssuer.run(name).changes > 0;
  }

  deleteKey(kid: string): boolean {
    return this.s.deleteKey.run(kid).changes > 0;
  }
}
