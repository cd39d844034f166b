/**
 * Authentication failures of one area (a wrong TOTP code, an unknown TOTP user) fed to the blocks policy against
 * the client's address, inside the caller's transaction: the area's own failure count and the address's count
 * commit together or not at all, and no concurrent attempt is checked between them.
 *
 * ADAPTER, to be swapped by the blocks conversion: the blocks area is not on the Store interface yet, so the feed
 * calls today's blocks engine (src/blocks/) on the SQLite connection under the caller's open transaction
 * (better-sqlite3 nests the engine's own transaction as a savepoint of it), exactly as the TOTP code did before. This
 * file is the only place that reaches for the raw connection for it: once the blocks service records a failure on a
 * `Tx`, replace the body of {@link authFailureFeed} with that call; its callers (services/totp.ts, lib/verify-totp.ts,
 * commands/totp/verify.ts) keep the same type.
 */
import type { Db } from '../store/db.js';
import type { Store, Tx } from '../store/store.js';
import type { Runtime } from './runtime.js';

/** Counts one failure from `ip` (already validated) at `at` inside `tx`; `reason` is kept with the failure. */
export type AuthFailureFeed = (tx: Tx, ip: string, reason: string, at: number) => Promise<void>;

/** The feed of a store, with `source` (`totp.verify`, `library:totp.verify`) kept in the failure log. */
export async function authFailureFeed(rt: Runtime, store: Store, source: string): Promise<AuthFailureFeed> {
  const { authFailureRecorder } = await import('../blocks/open.js');
  const record = await authFailureRecorder(rt, (store as unknown as { readonly db: Db }).db, source);
  return async (_tx, ip, reason, at) => {
    record(ip, reason, at);
  };
}
