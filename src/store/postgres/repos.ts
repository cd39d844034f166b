import type { Repos } from '../store.js';
import { PgApiKeysRepo } from './api-keys.js';
import { PgAuditRepo } from './audit.js';
import { PgBlocksRepo } from './blocks.js';
import type { Exec } from './exec.js';
import { PgJwtRepo } from './jwt.js';
import { PgMetaRepo } from './meta.js';
import { PgSecretsRepo } from './secrets.js';
import { PgServeCredentialsRepo } from './serve-credentials.js';
import { PgTotpRepo } from './totp.js';

/**
 * Every area's repository over one executor (the pool, or a transaction's or snapshot's client). A new area adds
 * its class here, its migration in migrations/postgres/, and passes its contract suite in
 * test/store/postgres-contract.test.ts. `origin` scopes what belongs to one host: its meta and its audit chain.
 */
export function pgRepos(q: Exec, origin: string): Repos & { readonly audit: PgAuditRepo } {
  return {
    keys: new PgApiKeysRepo(q),
    audit: new PgAuditRepo(q, origin),
    blocks: new PgBlocksRepo(q),
    jwt: new PgJwtRepo(q),
    totp: new PgTotpRepo(q),
    secrets: new PgSecretsRepo(q),
    meta: new PgMetaRepo(q, origin),
    serveCredentials: new PgServeCredentialsRepo(q),
  };
}
