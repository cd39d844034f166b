/**
 * agentsec as a library, for Node apps (agent servers) that want its checks without spawning a process.
 * Every function takes `{ home }` (default: AGENTSEC_HOME, else $XDG_DATA_HOME/agentsec) and keeps one store
 * connection per home.
 */
import type { AuditEvent, JsonValue } from './core/audit/entry.js';
import type { Db } from './store/db.js';
import { libraryRuntime } from './lib/runtime.js';

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

const stores = new Map<string, Promise<Db>>();

async function storeFor(home: string | undefined): Promise<{ db: Db; ctx: ReturnType<typeof libraryRuntime> }> {
  const ctx = libraryRuntime(home);
  let db = stores.get(ctx.paths.home);
  if (!db) {
    db = ctx.openStore();
    stores.set(ctx.paths.home, db);
    db.catch(() => stores.delete(ctx.paths.home));
  }
  return { db: await db, ctx };
}

/**
 * Appends one event to the audit chain of the home (sealing the previous epoch first when it is due).
 * `data` must never hold a secret value. Returns the entry's seq and hash.
 */
export async function appendAudit(event: AuditEvent, opts: { home?: string } = {}): Promise<{ seq: number; hash: string }> {
  const { db, ctx } = await storeFor(opts.home);
  const { openAuditLog } = await import('./audit/open.js');
  const log = await openAuditLog(ctx, db);
  const [entry] = log.append([{ ...event, actor: event.actor ?? { kind: 'library', pid: process.pid } }]);
  if (!entry) throw new Error('append returned no entry');
  return { seq: entry.entry.seq, hash: entry.hash };
}

/** Closes the store connections this module opened (for a clean shutdown or tests). */
export async function closeAgentsec(): Promise<void> {
  const { closeBlockStores } = await import('./lib/blocks.js');
  await closeBlockStores();
  const all = [...stores.values()];
  stores.clear();
  for (const p of all) {
    try {
      (await p).close();
    } catch {
      /* a store that failed to open has nothing to close */
    }
  }
}
