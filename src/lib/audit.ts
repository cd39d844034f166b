import type { AuditEvent } from '../core/audit/entry.js';
import type { Store } from '../store/store.js';
import { libraryRuntime } from './runtime.js';

const stores = new Map<string, Promise<Store>>();

async function storeFor(home: string | undefined): Promise<{ store: Store; rt: ReturnType<typeof libraryRuntime> }> {
  const rt = libraryRuntime(home);
  let store = stores.get(rt.paths.home);
  if (!store) {
    store = rt.store();
    stores.set(rt.paths.home, store);
    store.catch(() => stores.delete(rt.paths.home));
  }
  return { store: await store, rt };
}

/**
 * Appends one event to the audit chain of the home (sealing the previous epoch first when it is due).
 * `data` must never hold a secret value. Returns the entry's seq and hash.
 */
export async function appendAudit(event: AuditEvent, opts: { home?: string } = {}): Promise<{ seq: number; hash: string }> {
  const { store, rt } = await storeFor(opts.home);
  const { openAuditLog } = await import('../services/audit.js');
  const log = await openAuditLog(rt, store);
  const [entry] = await log.append([{ ...event, actor: event.actor ?? { kind: 'library', pid: process.pid } }]);
  if (!entry) throw new Error('append returned no entry');
  return { seq: entry.entry.seq, hash: entry.hash };
}

/** Closes the stores {@link appendAudit} opened. */
export async function closeAuditStores(): Promise<void> {
  const all = [...stores.values()];
  stores.clear();
  for (const p of all) {
    try {
      await (await p).close();
    } catch {
      /* a store that failed to open has nothing to close */
    }
  }
}
