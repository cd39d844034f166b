import { notifyTrigger, TEXT, type PgMigration } from './migration.js';

/**
 * External token issuers (see the SQLite twin): another server sharing an HS256 secret, or an identity provider whose
 * JWKS we trust. Their keys live in jwt_keys tagged with the issuer's name; deleting an issuer deletes its keys, as
 * in SQLite. Not origin-scoped: an issuer trusted on one host is trusted by every host of the fleet, as keys are.
 * The NOTIFY trigger makes every host's keyring reload when an issuer is added, changed or removed.
 */
export const pg0009JwtIssuers: PgMigration = {
  version: 9,
  name: 'jwt-issuers',
  sql: `
    CREATE TABLE jwt_issuers (
      name       ${TEXT} PRIMARY KEY,
      kind       TEXT NOT NULL CHECK (kind IN ('secret', 'jwks')),
      issuer     TEXT,
      audience   TEXT,
      created_at BIGINT NOT NULL,
      updated_at BIGINT NOT NULL
    );
    ALTER TABLE jwt_keys ADD COLUMN issuer_name ${TEXT} REFERENCES jwt_issuers (name) ON DELETE CASCADE;
    CREATE INDEX jwt_keys_by_issuer ON jwt_keys (issuer_name);
    ${notifyTrigger('jwt_issuers')}
  `,
};
