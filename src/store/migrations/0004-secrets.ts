import type { Migration } from './migration.js';

/**
 * Rotation history of self-generated secrets. A row never holds a value: only a keyed fingerprint
 * (HMAC prefix under a key derived from the master key), so the store cannot be used to recover or confirm one.
 */
export const m0004Secrets: Migration = {
  version: 4,
  name: 'secrets',
  up(db) {
    db.exec(`
      CREATE TABLE secret_events (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        file        TEXT NOT NULL,
        name        TEXT NOT NULL,
        kind        TEXT NOT NULL CHECK (kind IN ('env', 'secret-file')),
        action      TEXT NOT NULL CHECK (action IN ('rotated', 'created', 'dropped-previous')),
        fingerprint TEXT,
        at          TEXT NOT NULL
      );
      CREATE INDEX secret_events_by_secret ON secret_events (file, name, at);
    `);
  },
};
