import { notifyTrigger, TEXT, type PgMigration } from './migration.js';

/**
 * The audit chain, one chain per origin (host) in one table. Triggers refuse UPDATE, DELETE and TRUNCATE; a role
 * that can drop them could still rewrite rows, which is what the hash chain, the signed checkpoints and the pinned
 * per-origin public keys detect.
 */
export const pg0002Audit: PgMigration = {
  version: 2,
  name: 'audit',
  sql: `
    CREATE TABLE audit_entries (
      origin ${TEXT} NOT NULL,
      seq    BIGINT NOT NULL,
      hash   TEXT   NOT NULL,
      canon  TEXT   NOT NULL,
      ts     BIGINT NOT NULL,
      type   ${TEXT} NOT NULL,
      actor  TEXT   NOT NULL,
      PRIMARY KEY (origin, seq)
    );
    CREATE INDEX audit_entries_ts ON audit_entries (origin, ts);
    CREATE INDEX audit_entries_type ON audit_entries (origin, type, seq);
    CREATE TABLE audit_checkpoints (
      origin ${TEXT} NOT NULL,
      epoch  BIGINT NOT NULL,
      size   BIGINT NOT NULL,
      head   TEXT   NOT NULL,
      time   BIGINT NOT NULL,
      note   TEXT   NOT NULL,
      PRIMARY KEY (origin, epoch)
    );
    CREATE FUNCTION agentsec_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
    END $$;
    CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries
      FOR EACH ROW EXECUTE FUNCTION agentsec_append_only();
    CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries
      FOR EACH STATEMENT EXECUTE FUNCTION agentsec_append_only();
    CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE ON audit_checkpoints
      FOR EACH ROW EXECUTE FUNCTION agentsec_append_only();
    CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints
      FOR EACH STATEMENT EXECUTE FUNCTION agentsec_append_only();
    ${notifyTrigger('audit_entries')}
    ${notifyTrigger('audit_checkpoints')}
  `,
};
