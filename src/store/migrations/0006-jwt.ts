import type { Migration } from './migration.js';

/**
 * JWT signing keys (private halves and HMAC secrets sealed under a master-key subkey, kid as associated data), the
 * tokens agentsec issued (for refresh rotation and reuse detection; never the token itself) and the denylist.
 */
export const m0006Jwt: Migration = {
  version: 6,
  name: 'jwt',
  up(db) {
    db.exec(`
      CREATE TABLE jwt_keys (
        kid            TEXT PRIMARY KEY,
        alg            TEXT NOT NULL CHECK (alg IN ('EdDSA', 'ES256', 'RS256', 'HS256')),
        created_at     INTEGER NOT NULL,
        retired_at     INTEGER,
        last_exp       INTEGER,
        public_jwk     TEXT,
        private_sealed BLOB NOT NULL
      );
      CREATE TABLE jwt_tokens (
        jti         TEXT PRIMARY KEY,
        kind        TEXT NOT NULL CHECK (kind IN ('access', 'refresh')),
        sub         TEXT NOT NULL,
        kid         TEXT NOT NULL,
        family      TEXT,
        issued_at   INTEGER NOT NULL,
        expires_at  INTEGER NOT NULL,
        used_at     INTEGER,
        replaced_by TEXT
      );
      CREATE INDEX jwt_tokens_by_family ON jwt_tokens (family);
      CREATE INDEX jwt_tokens_by_expiry ON jwt_tokens (expires_at);
      CREATE TABLE jwt_revocations (
        kind       TEXT NOT NULL CHECK (kind IN ('jti', 'sub')),
        value      TEXT NOT NULL,
        revoked_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        PRIMARY KEY (kind, value)
      );
    `);
  },
};
