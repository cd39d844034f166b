import { hostname } from 'node:os';
import type { Runtime } from '../services/runtime.js';
import type { AuditEvent, SealedEntry } from '../core/audit/entry.js';
import { parseDuration } from '../core/duration.js';
import { usageError } from '../core/errors.js';
import { cliActor } from '../platform/actor.js';
import { AuditKeyring } from '../platform/audit-keyring.js';
import type { Db } from '../store/db.js';
import { AuditLog, DEFAULT_EPOCH_MS, validateOrigin, type SealTrouble } from './log.js';

export { auditSettings, type AuditSettings } from '../services/audit.js';
import { auditSettings } from '../services/audit.js';

// One warning per command (per runtime), however many entries it appends.
const warned = new WeakSet<object>();

function warnSealSkipped(ctx: Runtime, trouble: SealTrouble): void {
  if (warned.has(ctx)) return;
  warned.add(ctx);
  ctx.warn(`${trouble.message}: recorded in the audit chain all the same, but the chain cannot be sealed any more: run agentsec audit rekey (see agentsec audit verify)`);
}

export async function openAuditLog(ctx: Runtime, db: Db): Promise<AuditLog> {
  const { epochMs } = await auditSettings(ctx);
  return new AuditLog({ db, keyring: new AuditKeyring(ctx.paths.home), clock: ctx.clock, epochMs, onSealSkipped: (t) => warnSealSkipped(ctx, t) });
}

/** Records agentsec's own actions from inside the caller's transaction (nested as a savepoint), so a change and its
 * audit entry commit together or not at all. `data` must never hold a secret value. */
export type AuditRecorder = (type: string, data: AuditEvent['data']) => void;

export async function auditRecorder(ctx: Runtime, db: Db): Promise<AuditRecorder> {
  const log = await openAuditLog(ctx, db);
  const actor = cliActor();
  return (type, data) => {
    log.append([{ type, actor, ...(data ? { data } : {}) }]);
  };
}

/**
 * Appends one event for an agentsec action that changed state. Every area calls this; `data` must never hold a
 * secret value (fingerprints and ids only).
 */
export async function recordAudit(ctx: Runtime, db: Db, event: AuditEvent): Promise<SealedEntry> {
  const log = await openAuditLog(ctx, db);
  const [entry] = log.append([{ ...event, actor: event.actor ?? cliActor() }]);
  return entry as SealedEntry;
}
