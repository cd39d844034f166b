import { notifyTrigger, TEXT, type PgMigration } from './migration.js';

/** Rotation history of self-generated secrets: keyed fingerprints only, never a value. */
export const pg0004Secrets: PgMigration = {
  version: 4,
  name: 'secrets',
  sql: `
    CREATE TABLE secret_events (
      id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      file        ${TEXT} NOT NULL,
      name        ${TEXT} NOT NULL,
      kind        TEXT NOT NULL CHECK (kind IN ('env', 'secret-file')),
      action      TEXT NOT NULL CHECK (action IN ('rotated', 'created', 'dropped-previous')),
      fingerprint TEXT,
      at          ${TEXT} NOT NULL
    );
    CREATE INDEX secret_events_by_secret ON secret_events (file, name, at);
    ${notifyTrigger('secret_events')}
  `,
};
