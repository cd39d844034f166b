import { m0001Meta } from './0001-meta.js';
import { m0002Audit } from './0002-audit.js';
import { m0003ApiKeys } from './0003-api-keys.js';
import { m0004Secrets } from './0004-secrets.js';
import { m0005Totp } from './0005-totp.js';
import { m0006Jwt } from './0006-jwt.js';
import { m0007Blocks } from './0007-blocks.js';
import { m0008ServeCredentials } from './0008-serve-credentials.js';
import { m0009JwtIssuers } from './0009-jwt-issuers.js';
import type { Migration } from './migration.js';

export type { Migration };

/** Every migration, in order. A later issue adds its tables by appending one module here. */
export const MIGRATIONS: readonly Migration[] = [m0001Meta, m0002Audit, m0003ApiKeys, m0004Secrets, m0005Totp, m0006Jwt, m0007Blocks, m0008ServeCredentials, m0009JwtIssuers];
