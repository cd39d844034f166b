import type { Migration } from './migration.js';

// The chain is append-only: triggers refuse accidental UPDATE/DELETE. They do not stop someone who drops them —
// that is what the hash chain and signed checkpoints are for.
export const m0002Audit: Migration = {
  version: 2,
  name: 'audit',
  up(db) {
    db.exec(`
      CREATE TABLE audit_entries (
        seq   INTEGER PRIMARY KEY,
        hash  TEXT    NOT NULL,
        canon TEXT    NOT NULL,
        ts    INTEGER NOT NULL,
        type  TEXT    NOT NULL,
        actor TEXT    NOT NULL
      );
      CREATE INDEX audit_entries_ts ON audit_entries (ts);
      CREATE INDEX audit_entries_type ON audit_entries (type, seq);
      CREATE TABLE audit_checkpoints (
        epoch INTEGER PRIMARY KEY,
        size  INTEGER NOT NULL,
        head  TEXT    NOT NULL,
        time  INTEGER NOT NULL,
        note  TEXT    NOT NULL
      );
      CREATE TRIGGER audit_entries_append_only_update BEFORE UPDATE ON audit_entries
        BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
      CREATE TRIGGER audit_entries_append_only_delete BEFORE DELETE ON audit_entries
        BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
      CREATE TRIGGER audit_checkpoints_append_only_update BEFORE UPDATE ON audit_checkpoints
        BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only'); END;
      CREATE TRIGGER audit_checkpoints_append_only_delete BEFORE DELETE ON audit_checkpoints
        BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only'); END;
    `);
  },
};
