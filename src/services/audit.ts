/**
 * The audit chain: its writer (append inside a caller's transaction, seal, rekey, init) and how a home configures it
 * (epoch length, origin). Every area records its changes through an {@link AuditSink} from here; the `audit`
 * commands, `init`, `doctor` and the library's appendAudit use the log directly.
 */
import type { AuditEvent, SealedEntry } from '../core/audit/entry.js';
import { parseDuration } from '../core/duration.js';
import { usageError } from '../core/errors.js';
import { cliActor } from '../platform/actor.js';
import { AuditKeyring } from '../platform/audit-keyring.js';
import type { Store } from '../store/store.js';
import type { AuditSink } from './audit-sink.js';
import { AuditLog, DEFAULT_EPOCH_MS, validateOrigin, type SealTrouble } from './audit/log.js';
import { hostOrigin } from './audit/origin.js';
import type { Runtime } from './runtime.js';

export { AuditLog, DEFAULT_EPOCH_MS, META_ORIGIN, META_PUBKEY, validateOrigin, type RekeyResult, type SealResult, type SealTrouble, type SigningKeyState } from './audit/log.js';

export interface AuditSettings {
  readonly epochMs: number;
  readonly origin: string;
}

/** Epoch length and origin from config.yaml, else the defaults (15 minutes, the host name). */
export async function auditSettings(rt: Runtime): Promise<AuditSettings> {
  const config = await rt.config();
  const epochMs = config.audit?.epoch ? parseDuration(config.audit.epoch, 'config audit.epoch') : DEFAULT_EPOCH_MS;
  if (epochMs < 1000) throw usageError('config audit.epoch must be at least 1s');
  return { epochMs, origin: validateOrigin(hostOrigin(config)) };
}

// One warning per command (per runtime), however many entries it appends.
const warned = new WeakSet<object>();

function warnSealSkipped(rt: Runtime, trouble: SealTrouble): void {
  if (warned.has(rt)) return;
  warned.add(rt);
  rt.warn(`${trouble.message}: recorded in the audit chain all the same, but the chain cannot be sealed any more: run agentsec audit rekey (see agentsec audit verify)`);
}

/** The chain writer of a home's store, with the home's epoch length; a seal that cannot happen is warned about. */
export async function openAuditLog(rt: Runtime, store: Store): Promise<AuditLog> {
  const { epochMs } = await auditSettings(rt);
  return new AuditLog({ store, keyring: new AuditKeyring(rt.paths.home), clock: rt.clock, epochMs, onSealSkipped: (t) => warnSealSkipped(rt, t) });
}

/** Records agentsec's own actions inside the caller's transaction, with this process's user as the actor. */
export async function auditSink(rt: Runtime, store: Store): Promise<AuditSink> {
  const log = await openAuditLog(rt, store);
  const actor = cliActor();
  return async (tx, type, data) => {
    await log.appendIn(tx, [{ type, actor, ...(data ? { data } : {}) }]);
  };
}

/**
 * Appends one event in its own transaction (sealing the previous epoch first when it is due). `data` must never
 * hold a secret value (fingerprints and ids only).
 */
export async function recordAudit(rt: Runtime, store: Store, event: AuditEvent): Promise<SealedEntry> {
  const log = await openAuditLog(rt, store);
  const [entry] = await log.append([{ ...event, actor: event.actor ?? cliActor() }]);
  return entry as SealedEntry;
}
