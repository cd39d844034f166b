import type { Migration } from './migration.js';

/**
 * The credentials of `agentsec serve`'s two machine-facing APIs: app tokens (the app API) and bouncer keys (the
 * CrowdSec-compatible decision API), stored only as HMAC-SHA256 under a master-key subkey, like API keys. A bouncer
 * also keeps how far its last stream pull read (the time and the block history's event id), in the store so any node
 * of a fleet can answer its next poll. Names are unique per kind: the commands address credentials by name.
 */
export const m0008ServeCredentials: Migration = {
  version: 8,
  name: 'serve-credentials',
  up(db) {
    db.exec(`
      CREATE TABLE serve_credentials (
        id            TEXT PRIMARY KEY,
        kind          TEXT NOT NULL CHECK (kind IN ('app', 'bouncer')),
        name          TEXT NOT NULL,
        last4         TEXT NOT NULL,
        secret_hmac   BLOB NOT NULL,
        scopes        TEXT NOT NULL,
        created_at    INTEGER NOT NULL,
        revoked_at    INTEGER,
        last_used_at  INTEGER,
        last_pull_at  INTEGER,
        last_event_id INTEGER
      );
      CREATE UNIQUE INDEX serve_credentials_hmac ON serve_credentials (secret_hmac);
      CREATE UNIQUE INDEX serve_credentials_name ON serve_credentials (kind, name);
    `);
  },
};
