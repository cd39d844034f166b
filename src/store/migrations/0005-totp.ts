import type { Migration } from './migration.js';

/**
 * TOTP users. The seed is sealed (AES-256-GCM under a master-key subkey, the row id as associated data), so the
 * database file alone never reveals it; backup codes are argon2id hashes. `last_step` is the last accepted time
 * step (replay guard). Failures are kept one row each so the lockout window slides; times are epoch milliseconds.
 */
export const m0005Totp: Migration = {
  version: 5,
  name: 'totp',
  up(db) {
    db.exec(`
      CREATE TABLE totp_users (
        id            TEXT PRIMARY KEY,
        name          TEXT NOT NULL UNIQUE,
        issuer        TEXT NOT NULL,
        algorithm     TEXT NOT NULL,
        digits        INTEGER NOT NULL,
        period        INTEGER NOT NULL,
        seed_sealed   BLOB NOT NULL,
        status        TEXT NOT NULL,
        created_at    INTEGER NOT NULL,
        confirmed_at  INTEGER,
        last_used_at  INTEGER,
        last_step     INTEGER,
        locked_until  INTEGER
      );
      CREATE TABLE totp_backup_codes (
        user_id       TEXT NOT NULL REFERENCES totp_users (id) ON DELETE CASCADE,
        idx           INTEGER NOT NULL,
        code_hash     TEXT NOT NULL,
        used_at       INTEGER,
        PRIMARY KEY (user_id, idx)
      );
      CREATE TABLE totp_failures (
        user_id       TEXT NOT NULL REFERENCES totp_users (id) ON DELETE CASCADE,
        at            INTEGER NOT NULL,
        ip            TEXT,
        reason        TEXT NOT NULL
      );
      CREATE INDEX totp_failures_user_at ON totp_failures (user_id, at);
    `);
  },
};
