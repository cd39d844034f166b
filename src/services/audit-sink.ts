import type { AuditEvent } from '../core/audit/entry.js';
import type { Tx } from '../store/store.js';

/**
 * Records one of agentsec's own actions in the audit chain inside the caller's transaction, so a change and its
 * audit entry commit together or not at all. `data` must never hold a secret value (ids and fingerprints only).
 * Made by `auditSink()` in services/audit.ts.
 */
export type AuditSink = (tx: Tx, type: string, data?: AuditEvent['data']) => Promise<void>;
