import { notifyTrigger, TEXT, type PgMigration } from './migration.js';

/**
 * Facts about the store, per origin (the host's audit chain name): in a fleet each host keeps its own chain's public
 * key and origin here, beside the others'. The change-notification function every table's trigger calls.
 */
export const pg0001Meta: PgMigration = {
  version: 1,
  name: 'meta',
  sql: `
    CREATE FUNCTION agentsec_notify() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('agentsec_changes', TG_TABLE_NAME);
      RETURN NULL;
    END $$;
    CREATE TABLE meta (
      origin ${TEXT} NOT NULL,
      key    ${TEXT} NOT NULL,
      value  TEXT NOT NULL,
      PRIMARY KEY (origin, key)
    );
    ${notifyTrigger('meta')}
  `,
};
