/**
 * agentsec as a library, for Node apps (agent servers) that want its checks without spawning a process.
 * Every function takes `{ home }` (default: AGENTSEC_HOME, else $XDG_DATA_HOME/agentsec) and keeps one store
 * connection per home. Results are discriminated unions (`if (r.valid)`, `if (r.blocked)` narrow) with the members
 * of the matching CLI command's `--json` output; docs/library.md lists them.
 *
 * The public declarations name only this package's own types and Node's: no native module's types (better-sqlite3,
 * pg) may be reachable from here, so a consumer compiling with `skipLibCheck: false` needs no @types of ours
 * (test/project/packed-library.test.ts compiles one from the packed tarball).
 */
import type { AuditEvent, JsonValue } from './core/audit/entry.js';

export { AgentsecError, ExitCode } from './core/errors.js';
export type { AuditEvent, JsonValue };

// API keys
export { verifyApiKey, closeApiKeyStores, type VerifyApiKeyOptions, type VerifyApiKeyResult, type VerifiedApiKey } from './lib/verify-api-key.js';
export { issueApiKey, revokeApiKey, rotateApiKey, type ApiKeyInfo, type ApiKeyOptions, type IssueApiKeyInput, type IssuedApiKey } from './lib/api-keys.js';
export type { VerifyCode, VerifyResult, VerifiedKeyInfo } from './core/apikeys/verify.js';

// TOTP
export { verifyTotp, enrollTotp, confirmTotp, closeTotpStores, type VerifyTotpOptions, type TotpVerdict, type VerdictCode as TotpVerdictCode, type EnrollTotpOptions, type TotpEnrollment, type ConfirmTotpResult } from './lib/verify-totp.js';

// JWT
export {
  verifyJwt,
  issueJwt,
  revokeJwt,
  revokeSubject,
  closeJwtStores,
  type VerifyJwtOptions,
  type VerifyJwtResult,
  type IssueJwtClaims,
  type IssueJwtOptions,
  type IssueJwtResult,
  type RevokeJwtOptions,
  type RevokeJwtResult,
} from './lib/jwt.js';
export type { JwtReason } from './core/jwt/algs.js';

// IP blocks
export { isBlocked, recordFailure, addBlock, removeBlock, closeBlockStores, type AddBlockOptions, type BlockInfo, type BlocksOptions, type IsBlockedResult, type RecordFailureOptions, type RecordFailureResult } from './lib/blocks.js';
export type { FailureKind } from './core/blocks/policy.js';

// Audit
export { appendAudit } from './lib/audit.js';
export { protect, type AgentsecIdentity, type ProtectMiddleware, type ProtectOptions } from './lib/middleware.js';
export { checkPassword, type CheckPasswordOptions } from './lib/passwords.js';
export type { PasswordPolicy, PolicyVerdict, PolicyViolation, PolicyViolationCode } from './core/passwords/policy.js';

/** Closes every store connection this module opened and wipes the keys derived from them (clean shutdown, tests). */
export async function closeAgentsec(): Promise<void> {
  const [blocks, audit, jwt, totp, keys, admin] = await Promise.all([import('./lib/blocks.js'), import('./lib/audit.js'), import('./lib/jwt.js'), import('./lib/verify-totp.js'), import('./lib/verify-api-key.js'), import('./lib/api-keys.js')]);
  await Promise.all([blocks.closeBlockStores(), audit.closeAuditStores(), jwt.closeJwtStores(), totp.closeTotpStores(), keys.closeApiKeyStores(), admin.closeApiKeyAdminStores()]);
}
