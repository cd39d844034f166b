import type { AuditEvent } from '../core/audit/entry.js';
import type { Db } from '../store/db.js';
import type { Store, Tx } from '../store/store.js';
import type { Runtime } from './runtime.js';

/**
 * Records one of agentsec's own actions in the audit chain inside the caller's transaction, so a change and its
 * audit entry commit together or not at all. `data` must never hold a secret value (ids and fingerprints only).
 */
export type AuditSink = (tx: Tx, type: string, data?: AuditEvent['data']) => Promise<void>;

/**
 * The audit sink of a store, with the actor of this process (the CLI user, or the library's pid). Until the audit
 * chain's writer runs on the Store interface, it appends on the SQLite connection under the open transaction (a
 * savepoint of it).
 */
export async function auditSink(rt: Runtime, store: Store): Promise<AuditSink> {
  const { auditRecorder } = await import('../audit/open.js');
  const record = await auditRecorder(rt, (store as unknown as { readonly db: Db }).db);
  return async (_tx, type, data) => {
    record(type, data);
  };
}
