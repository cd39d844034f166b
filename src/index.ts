/**
 * agentsec as a library, for Node apps (agent servers) that want its checks without spawning a process.
 * Every function takes `{ home }` (default: AGENTSEC_HOME, else $XDG_DATA_HOME/agentsec) and keeps one store
 * connection per home.
 */
import type { AuditEvent, JsonValue } from './core/audit/entry.js';
import { closeAuditStores } from './lib/audit.js';

export { AgentsecError, ExitCode } from './core/errors.js';
export type { AuditEvent, JsonValue };
export { verifyApiKey, type VerifyApiKeyOptions, type VerifyApiKeyResult } from './lib/verify-api-key.js';
export type { VerifyCode, VerifyResult, VerifiedKeyInfo } from './core/apikeys/verify.js';
export { verifyTotp, closeTotpStores, type VerifyTotpOptions } from './lib/verify-totp.js';
export type { TotpVerdict, VerdictCode as TotpVerdictCode } from './services/totp.js';
export { verifyJwt, issueJwt, closeJwtStores, type VerifyJwtOptions, type VerifyJwtResult, type IssueJwtClaims, type IssueJwtOptions, type IssueJwtResult } from './lib/jwt.js';
export type { JwtReason } from './core/jwt/algs.js';
export { isBlocked, recordFailure, closeBlockStores, type BlocksOptions, type IsBlockedResult, type RecordFailureOptions, type RecordFailureResult } from './lib/blocks.js';
export type { FailureKind } from './core/blocks/policy.js';
export { appendAudit } from './lib/audit.js';
export { protect, type AgentsecIdentity, type ProtectMiddleware, type ProtectOptions } from './lib/middleware.js';
export { checkPassword, type CheckPasswordOptions } from './lib/passwords.js';
export type { PasswordPolicy, PolicyVerdict, PolicyViolation, PolicyViolationCode } from './core/passwords/policy.js';

/** Closes the store connections this module opened (for a clean shutdown or tests). */
export async function closeAgentsec(): Promise<void> {
  const { closeBlockStores } = await import('./lib/blocks.js');
  await closeBlockStores();
  await closeAuditStores();
}
