import type { Migration } from './migration.js';

/**
 * IP blocks, as fail2ban keeps them: the current blocks (one row per canonical value, kept after expiry until it is
 * blocked again or purged, so its count survives) and an append-only history of block and unblock events; plus
 * the failures the policy counts, and how far `blocks ingest` has read each log. Range bounds are fixed-width
 * sortable text (see core/net/range.ts) so "which block covers this IP" is one indexed comparison. Times are
 * absolute epoch milliseconds, never durations a config change could reinterpret.
 */
export const m0007Blocks: Migration = {
  version: 7,
  name: 'blocks',
  up(db) {
    db.exec(`
      CREATE TABLE blocks (
        value       TEXT PRIMARY KEY,
        scope       TEXT NOT NULL CHECK (scope IN ('ip', 'range')),
        range_start TEXT NOT NULL,
        range_end   TEXT NOT NULL,
        reason      TEXT,
        source      TEXT NOT NULL,
        created_at  INTEGER NOT NULL,
        expires_at  INTEGER,
        block_count INTEGER NOT NULL
      );
      CREATE INDEX blocks_start ON blocks (range_start);
      CREATE INDEX blocks_ranges ON blocks (range_start, range_end) WHERE scope = 'range';
      CREATE INDEX blocks_expires ON blocks (expires_at);
      CREATE TABLE block_events (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        at          INTEGER NOT NULL,
        action      TEXT NOT NULL CHECK (action IN ('block', 'unblock')),
        value       TEXT NOT NULL,
        scope       TEXT NOT NULL,
        reason      TEXT,
        source      TEXT NOT NULL,
        expires_at  INTEGER,
        block_count INTEGER
      );
      CREATE INDEX block_events_value ON block_events (value, action, at);
      CREATE INDEX block_events_at ON block_events (at);
      CREATE TABLE block_failures (
        id      INTEGER PRIMARY KEY,
        subject TEXT NOT NULL,
        ip      TEXT NOT NULL,
        kind    TEXT NOT NULL,
        at      INTEGER NOT NULL,
        source  TEXT
      );
      CREATE INDEX block_failures_subject ON block_failures (subject, at);
      CREATE TABLE block_ingest_positions (
        path       TEXT PRIMARY KEY,
        dev        TEXT NOT NULL,
        ino        TEXT NOT NULL,
        offset     INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
    `);
  },
};
