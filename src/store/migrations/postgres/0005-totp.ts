import { notifyTrigger, TEXT, type PgMigration } from './migration.js';

/** TOTP users (seeds sealed under the host's master key before they arrive), backup-code hashes, failures. */
export const pg0005Totp: PgMigration = {
  version: 5,
  name: 'totp',
  sql: `
    CREATE TABLE totp_users (
      id            ${TEXT} PRIMARY KEY,
      name          ${TEXT} NOT NULL UNIQUE,
      issuer        TEXT NOT NULL,
      algorithm     TEXT NOT NULL,
      digits        INTEGER NOT NULL,
      period        INTEGER NOT NULL,
      seed_sealed   BYTEA NOT NULL,
      status        TEXT NOT NULL,
      created_at    BIGINT NOT NULL,
      confirmed_at  BIGINT,
      last_used_at  BIGINT,
      last_step     BIGINT,
      locked_until  BIGINT
    );
    CREATE TABLE totp_backup_codes (
      user_id       ${TEXT} NOT NULL REFERENCES totp_users (id) ON DELETE CASCADE,
      idx           INTEGER NOT NULL,
      code_hash     TEXT NOT NULL,
      used_at       BIGINT,
      PRIMARY KEY (user_id, idx)
    );
    CREATE TABLE totp_failures (
      user_id       ${TEXT} NOT NULL REFERENCES totp_users (id) ON DELETE CASCADE,
      at            BIGINT NOT NULL,
      ip            TEXT,
      reason        TEXT NOT NULL
    );
    CREATE INDEX totp_failures_user_at ON totp_failures (user_id, at);
    ${notifyTrigger('totp_users')}
    ${notifyTrigger('totp_backup_codes')}
    ${notifyTrigger('totp_failures')}
  `,
};
