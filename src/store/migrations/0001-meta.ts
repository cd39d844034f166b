import type { Migration } from './migration.js';

export const m0001Meta: Migration = {
  version: 1,
  name: 'meta',
  up(db) {
    db.exec(`
      CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) WITHOUT ROWID;
    `);
  },
};
