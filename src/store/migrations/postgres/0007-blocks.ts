import { notifyTrigger, TEXT, type PgMigration } from './migration.js';

/** IP blocks, their append-only history, counted failures and ingest positions (see the SQLite twin). */
export const pg0007Blocks: PgMigration = {
  version: 7,
  name: 'blocks',
  sql: `
    CREATE TABLE blocks (
      value       ${TEXT} PRIMARY KEY,
      scope       TEXT NOT NULL CHECK (scope IN ('ip', 'range')),
      range_start ${TEXT} NOT NULL,
      range_end   ${TEXT} NOT NULL,
      reason      TEXT,
      source      TEXT NOT NULL,
      created_at  BIGINT NOT NULL,
      expires_at  BIGINT,
      block_count INTEGER NOT NULL
    );
    CREATE INDEX blocks_start ON blocks (range_start);
    CREATE INDEX blocks_ranges ON blocks (range_start, range_end) WHERE scope = 'range';
    CREATE INDEX blocks_expires ON blocks (expires_at);
    CREATE TABLE block_events (
      id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      at          BIGINT NOT NULL,
      action      TEXT NOT NULL CHECK (action IN ('block', 'unblock')),
      value       ${TEXT} NOT NULL,
      scope       TEXT NOT NULL,
      reason      TEXT,
      source      TEXT NOT NULL,
      expires_at  BIGINT,
      block_count INTEGER
    );
    CREATE INDEX block_events_value ON block_events (value, action, at);
    CREATE INDEX block_events_at ON block_events (at);
    CREATE TABLE block_failures (
      id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      subject ${TEXT} NOT NULL,
      ip      TEXT NOT NULL,
      kind    TEXT NOT NULL,
      at      BIGINT NOT NULL,
      source  TEXT
    );
    CREATE INDEX block_failures_subject ON block_failures (subject, at);
    CREATE TABLE block_ingest_positions (
      path       ${TEXT} PRIMARY KEY,
      dev        TEXT NOT NULL,
      ino        TEXT NOT NULL,
      "offset"   BIGINT NOT NULL,
      updated_at BIGINT NOT NULL
    );
    ${notifyTrigger('blocks')}
    ${notifyTrigger('block_events')}
    ${notifyTrigger('block_failures')}
    ${notifyTrigger('block_ingest_positions')}
  `,
};
