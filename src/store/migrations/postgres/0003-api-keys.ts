import { notifyTrigger, TEXT, type PgMigration } from './migration.js';

/** API keys, stored only as HMAC-SHA256 under a master-key subkey of the host (see the SQLite twin). */
export const pg0003ApiKeys: PgMigration = {
  version: 3,
  name: 'api-keys',
  sql: `
    CREATE TABLE api_keys (
      id            ${TEXT} PRIMARY KEY,
      name          ${TEXT} NOT NULL,
      prefix        TEXT NOT NULL,
      last4         TEXT NOT NULL,
      key_hmac      BYTEA NOT NULL,
      role          TEXT,
      scopes        TEXT NOT NULL,
      allow_ips     TEXT NOT NULL,
      meta          TEXT NOT NULL,
      created_at    BIGINT NOT NULL,
      expires_at    BIGINT,
      revoked_at    BIGINT,
      revoke_reason TEXT,
      last_used_at  BIGINT,
      rotated_from  TEXT,
      rotated_to    TEXT
    );
    CREATE UNIQUE INDEX api_keys_key_hmac ON api_keys (key_hmac);
    CREATE INDEX api_keys_name ON api_keys (name);
    ${notifyTrigger('api_keys')}
  `,
};
