import { notifyTrigger, TEXT, type PgMigration } from './migration.js';

/**
 * JWT signing keys (private halves sealed under the master key before they arrive), the ledger of issued tokens and
 * the denylist. `seq` keeps insertion order, which SQLite's rowid gives for free.
 */
export const pg0006Jwt: PgMigration = {
  version: 6,
  name: 'jwt',
  sql: `
    CREATE TABLE jwt_keys (
      seq            BIGINT GENERATED ALWAYS AS IDENTITY,
      kid            ${TEXT} PRIMARY KEY,
      alg            TEXT NOT NULL CHECK (alg IN ('EdDSA', 'ES256', 'RS256', 'HS256')),
      created_at     BIGINT NOT NULL,
      retired_at     BIGINT,
      last_exp       BIGINT,
      public_jwk     TEXT,
      private_sealed BYTEA NOT NULL
    );
    CREATE TABLE jwt_tokens (
      jti         ${TEXT} PRIMARY KEY,
      kind        TEXT NOT NULL CHECK (kind IN ('access', 'refresh')),
      sub         ${TEXT} NOT NULL,
      kid         TEXT NOT NULL,
      family      ${TEXT},
      issued_at   BIGINT NOT NULL,
      expires_at  BIGINT NOT NULL,
      used_at     BIGINT,
      replaced_by TEXT
    );
    CREATE INDEX jwt_tokens_by_family ON jwt_tokens (family);
    CREATE INDEX jwt_tokens_by_expiry ON jwt_tokens (expires_at);
    CREATE TABLE jwt_revocations (
      kind       TEXT NOT NULL CHECK (kind IN ('jti', 'sub')),
      value      ${TEXT} NOT NULL,
      revoked_at BIGINT NOT NULL,
      expires_at BIGINT NOT NULL,
      PRIMARY KEY (kind, value)
    );
    ${notifyTrigger('jwt_keys')}
    ${notifyTrigger('jwt_tokens')}
    ${notifyTrigger('jwt_revocations')}
  `,
};
