import type { Migration } from './migration.js';

/**
 * API keys, stored only as HMAC-SHA256 under a master-key subkey (a leaked database alone cannot confirm a guess).
 * Times are epoch milliseconds; lists are JSON text, to stay portable to PostgreSQL.
 */
export const m0003ApiKeys: Migration = {
  version: 3,
  name: 'api-keys',
  up(db) {
    db.exec(`
      CREATE TABLE api_keys (
        id            TEXT PRIMARY KEY,
        name          TEXT NOT NULL,
        prefix        TEXT NOT NULL,
        last4         TEXT NOT NULL,
        key_hmac      BLOB NOT NULL,
        role          TEXT,
        scopes        TEXT NOT NULL,
        allow_ips     TEXT NOT NULL,
        meta          TEXT NOT NULL,
        created_at    INTEGER NOT NULL,
        expires_at    INTEGER,
        revoked_at    INTEGER,
        revoke_reason TEXT,
        last_used_at  INTEGER,
        rotated_from  TEXT,
        rotated_to    TEXT
      );
      CREATE UNIQUE INDEX api_keys_key_hmac ON api_keys (key_hmac);
      CREATE INDEX api_keys_name ON api_keys (name);
    `);
  },
};
