import { notifyTrigger, TEXT, type PgMigration } from './migration.js';

/**
 * The credentials of serve's app API and decision API, stored only as HMAC-SHA256 under a master-key subkey, with a
 * bouncer's stream-pull state (see the SQLite twin). The pull state lives in the shared database so any host of a
 * fleet answers a bouncer's next poll from where its last one stopped. Not origin-scoped: a credential made on one
 * host is valid on every host of the fleet, as API keys are.
 */
export const pg0008ServeCredentials: PgMigration = {
  version: 8,
  name: 'serve-credentials',
  sql: `
    CREATE TABLE serve_credentials (
      id            ${TEXT} PRIMARY KEY,
      kind          TEXT NOT NULL CHECK (kind IN ('app', 'bouncer')),
      name          ${TEXT} NOT NULL,
      last4         TEXT NOT NULL,
      secret_hmac   BYTEA NOT NULL,
      scopes        TEXT NOT NULL,
      created_at    BIGINT NOT NULL,
      revoked_at    BIGINT,
      last_used_at  BIGINT,
      last_pull_at  BIGINT,
      last_event_id BIGINT
    );
    CREATE UNIQUE INDEX serve_credentials_hmac ON serve_credentials (secret_hmac);
    CREATE UNIQUE INDEX serve_credentials_name ON serve_credentials (kind, name);
    ${notifyTrigger('serve_credentials')}
  `,
};
