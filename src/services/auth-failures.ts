/**
 * Authentication failures of one area (a wrong TOTP code, an unknown TOTP user) fed to the blocks policy against
 * the client's address, inside the caller's transaction: the area's own failure count and the address's count
 * commit together or not at all, and no concurrent attempt is checked between them (see the blocks service's
 * recordFailureIn).
 */
import type { Store, Tx } from '../store/store.js';
import type { Runtime } from './runtime.js';

/** Counts one failure from `ip` (already validated) at `at` inside `tx`; `reason` is kept with the failure. */
export type AuthFailureFeed = (tx: Tx, ip: string, reason: string, at: number) => Promise<void>;

/** The feed of a store, with `source` (`totp.verify`, `library:totp.verify`) kept in the failure log. */
export async function authFailureFeed(rt: Runtime, store: Store, source: string): Promise<AuthFailureFeed> {
  const { blocksOn, recordFailureIn } = await import('./blocks.js');
  const blocks = await blocksOn(rt, store);
  return async (tx, ip, reason, at) => {
    await recordFailureIn(blocks, tx, ip, 'auth', { at, source, reason });
  };
}
