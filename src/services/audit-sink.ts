import type { AuditEvent } from '../core/audit/entry.js';
import type { Store, Tx } from '../store/store.js';
import type { Runtime } from './runtime.js';

/**
 * Records one of agentsec's own actions in the audit chain inside the caller's transaction, so a change and its
 * audit entry commit together or not at all. `data` must never hold a secret value (ids and fingerprints only).
 */
export type AuditSink = (tx: Tx, type: string, data?: AuditEvent['data']) => Promise<void>;

/** The audit sink of a store, with the actor of this process (see services/audit.ts). */
export async function auditSink(rt: Runtime, store: Store): Promise<AuditSink> {
  const { auditSinkFor } = await import('./audit.js');
  return auditSinkFor(rt, store);
}
