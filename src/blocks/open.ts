import type { Runtime } from '../services/runtime.js';
import { allowlistCidrs, policyFromConfig, type BlockPolicy } from '../core/blocks/policy.js';
import { parseDuration } from '../core/duration.js';
import type { Db } from '../store/db.js';
import type { BlocksEngine } from './engine.js';
import type { SyncedIndex } from './index-sync.js';

/** The effective policy: config.yaml's `blocks:` section over the defaults. */
export async function loadPolicy(ctx: Runtime): Promise<BlockPolicy> {
  const config = await ctx.config();
  return policyFromConfig(config.blocks, parseDuration);
}

/** Builds the engine on an open store; `override` adjusts the policy (flags beat the config file). */
export async function blocksEngine(ctx: Runtime, db: Db, override: Partial<BlockPolicy> = {}, synced?: SyncedIndex): Promise<BlocksEngine> {
  const policy = { ...(await loadPolicy(ctx)), ...override };
  const { BlocksRepo } = await import('../store/blocks-repo.js');
  const { auditRecorder } = await import('../audit/open.js');
  return { db, repo: new BlocksRepo(db), policy, allow: allowlistCidrs(policy), audit: await auditRecorder(ctx, db), synced };
}

/** An engine with an in-memory index of the blocks (for many lookups: ingest). */
export async function openIndexedBlocks(ctx: Runtime, override: Partial<BlockPolicy> = {}): Promise<BlocksEngine> {
  const e = await openBlocks(ctx, override);
  const { loadIndex } = await import('./index-sync.js');
  return { ...e, synced: loadIndex(e.repo) };
}

/** Opens the store and the engine; the caller closes `db` in `finally`. */
export async function openBlocks(ctx: Runtime, override: Partial<BlockPolicy> = {}): Promise<BlocksEngine> {
  const db = await ctx.openStore();
  try {
    return await blocksEngine(ctx, db, override);
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * Feeds one authentication failure from another area (a bad API key, a wrong TOTP code) to the blocks policy, on the
 * caller's open store. Synchronous once built, so it can run inside the caller's transaction.
 */
export async function authFailureRecorder(ctx: Runtime, db: Db, source: string): Promise<(ip: string, reason: string, at?: number) => import('./engine.js').FailureOutcome | undefined> {
  const engine = await blocksEngine(ctx, db);
  const { recordFailureTx } = await import('./engine.js');
  const { parseIp } = await import('../core/net/index.js');
  // `at`: the caller's clock for the failure (the TOTP check's `now`), so both records agree; default the context's.
  return (ipText, reason, at = ctx.clock().getTime()) => {
    const ip = parseIp(ipText);
    if (!ip) return undefined;
    return engine.db.transaction(() => recordFailureTx(engine, ip, 'auth', { at, source, reason })).immediate();
  };
}
