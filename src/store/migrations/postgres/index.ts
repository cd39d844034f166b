import { pg0001Meta } from './0001-meta.js';
import { pg0002Audit } from './0002-audit.js';
import { pg0003ApiKeys } from './0003-api-keys.js';
import { pg0004Secrets } from './0004-secrets.js';
import { pg0005Totp } from './0005-totp.js';
import { pg0006Jwt } from './0006-jwt.js';
import { pg0007Blocks } from './0007-blocks.js';
import { pg0008ServeCredentials } from './0008-serve-credentials.js';
import { pg0009JwtIssuers } from './0009-jwt-issuers.js';
import type { PgMigration } from './migration.js';

export type { PgMigration };

/**
 * Every PostgreSQL migration, in order, numbered as their SQLite twins (one schema version means the same tables on
 * both backends). A new area appends its module here and in ../index.ts.
 */
export const PG_MIGRATIONS: readonly PgMigration[] = [pg0001Meta, pg0002Audit, pg0003ApiKeys, pg0004Secrets, pg0005Totp, pg0006Jwt, pg0007Blocks, pg0008ServeCredentials, pg0009JwtIssuers];
