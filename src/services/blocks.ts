/**
 * IP blocks: by hand, from counted failures (the CLI, the library, other areas' checks and log ingest) and from
 * fail2ban; lookups, history, exports. Every change appends its audit entry in the same transaction. Called by the
 * `blocks` commands, the library and the server alike; never prints. The steps themselves are in blocks/engine.ts,
 * the in-memory index in blocks/index-sync.ts, log ingest in blocks/ingest.ts.
 */
import type { BlockRecord } from '../core/blocks/block.js';
import { renderExport, type ExportFormat, type Rendered } from '../core/blocks/export.js';
import { allowlistCidrs, policyFromConfig, type BlockPolicy, type FailureKind } from '../core/blocks/policy.js';
import type { BlockTarget } from '../core/blocks/target.js';
import { parseDuration } from '../core/duration.js';
import { ipKey, type IpAddress } from '../core/net/index.js';
import type { PurgeCounts } from '../store/blocks.js';
import type { Store } from '../store/store.js';
import { auditSink } from './audit.js';
import { blockIn, recordFailureIn, unblockIn, type AddInput, type BlocksDeps, type FailureOutcome } from './blocks/engine.js';
import { loadIndex, type SyncedIndex } from './blocks/index-sync.js';
import type { Runtime } from './runtime.js';

export { blockIn, recordFailureIn, unblockIn, type AddInput, type BlocksDeps, type FailureInput, type FailureOutcome } from './blocks/engine.js';
export { loadIndex, syncIndex, type SyncedIndex } from './blocks/index-sync.js';
export { emptyStats, formatCounts, ingestFile, ingestStream, type IngestOptions, type IngestStats } from './blocks/ingest.js';
export { resolveIngest, type IngestChoices, type ResolvedIngest } from './blocks/ingest-settings.js';
export { importBans, readFail2banBans, type Fail2banBan, type ImportStats } from './blocks/fail2ban.js';
export { tailEvents, type TailOptions, type TailRecord } from './blocks/tail.js';

/** What the read-only operations need (check, list, export, tail): no policy, no audit sink. */
export type BlocksReadDeps = Pick<BlocksDeps, 'store' | 'clock'>;

export interface BlocksService extends BlocksDeps {
  /** Closes the store. */
  close(): Promise<void>;
}

/** The store alone, with the clock: for the read-only operations, and for callers that build deps with blocksOn. */
export interface OpenBlocksStore extends BlocksReadDeps {
  close(): Promise<void>;
}

export interface OpenBlocksOptions {
  /** Keep an in-memory index of the blocks for many lookups (ingest). */
  readonly index?: boolean;
  /**
   * Commit big batches without a sync each (ingest). Its read position commits with each batch, so a power cut may
   * lose the last batches, but never half of one: the position rolls back with the failures, blocks and audit entries
   * it covered, and the next run reads those lines again. That is worth an fsync per batch saved.
   */
  readonly bulk?: boolean;
}

/** The effective policy: config.yaml's `blocks:` section over the defaults. */
export async function loadPolicy(rt: Runtime): Promise<BlockPolicy> {
  const config = await rt.config();
  return policyFromConfig(config.blocks, parseDuration);
}

/**
 * The deps on a store the caller already holds open (and closes): for areas that feed failures to the blocks policy
 * from their own transactions (see {@link recordFailureIn}). `override` adjusts the policy (flags beat the config
 * file); `synced`, an in-memory index the deps keep in step.
 */
export async function blocksOn(rt: Runtime, store: Store, override: Partial<BlockPolicy> = {}, synced?: SyncedIndex): Promise<BlocksDeps> {
  const policy = { ...(await loadPolicy(rt)), ...override };
  const audit = await auditSink(rt, store);
  return { store, audit, clock: rt.clock, policy, allow: allowlistCidrs(policy), synced };
}

/** Opens the store and the deps of every block operation; the caller closes it in `finally`. */
export async function openBlocks(rt: Runtime, override: Partial<BlockPolicy> = {}, opts: OpenBlocksOptions = {}): Promise<BlocksService> {
  const store = await rt.store(opts.bulk ? { bulk: true } : {});
  try {
    const d = await blocksOn(rt, store, override);
    const synced = opts.index ? await loadIndex(store.blocks) : undefined;
    return { ...d, synced, close: () => store.close() };
  } catch (err) {
    await store.close();
    throw err;
  }
}

/** Opens the store only (config.yaml is not read); the caller closes it in `finally`. */
export async function openBlocksStore(rt: Runtime): Promise<OpenBlocksStore> {
  const store = await rt.store();
  return { store, clock: rt.clock, close: () => store.close() };
}

/** Blocks `target` in its own transaction (see {@link blockIn}). */
export function addBlock(d: BlocksDeps, target: BlockTarget, input: AddInput): Promise<BlockRecord> {
  return d.store.transaction((tx) => blockIn(d, tx, target, input));
}

/** Lifts the block on exactly `target` in its own transaction (see {@link unblockIn}); undefined when none was active. */
export function removeBlock(d: BlocksDeps, target: BlockTarget, input: { now: number; source: string }): Promise<BlockRecord | undefined> {
  return d.store.transaction((tx) => unblockIn(d, tx, target, input));
}

/** A failure as recorded: what the policy made of it, and the time it was recorded at. */
export interface RecordedFailure {
  readonly failure: FailureOutcome;
  readonly at: number;
}

/**
 * Records one failure in its own transaction (see {@link recordFailureIn}). The clock is read under the write lock,
 * so failures are stored in lock order: a writer that waited never counts a window ending before failures already
 * committed.
 */
export function recordFailure(d: BlocksDeps, ip: IpAddress, kind: FailureKind, input: { source: string; reason: string | null }): Promise<RecordedFailure> {
  return d.store.transaction(async (tx) => {
    const at = d.clock().getTime();
    return { failure: await recordFailureIn(d, tx, ip, kind, { at, source: input.source, reason: input.reason }), at };
  });
}

/** The narrowest active block covering `ip` now, from the store. */
export function coveringBlock(d: BlocksReadDeps, ip: IpAddress, now: number): Promise<BlockRecord | undefined> {
  return d.store.blocks.covering(ipKey(ip), now);
}

/** Active blocks, or every kept block (expired ones too) with `all`, by range start. */
export function listBlocks(d: BlocksReadDeps, opts: { all: boolean; now: number }): Promise<BlockRecord[]> {
  return d.store.blocks.list(opts);
}

/**
 * The active set rendered for a firewall or nginx (see core/blocks/export.ts), read a page at a time: `count` is
 * how many blocks were active, `rendered.skipped` how many the format cannot hold.
 */
export async function exportActive(d: BlocksReadDeps, format: ExportFormat, path: string | undefined): Promise<{ rendered: Rendered; count: number }> {
  const now = d.clock();
  const v4: string[] = [];
  const v6: string[] = [];
  let count = 0;
  for await (const page of d.store.blocks.active(now.getTime())) {
    for (const b of page) {
      (b.start.startsWith('4:') ? v4 : v6).push(b.value);
      count++;
    }
  }
  return { rendered: renderExport(format, { v4, v6, generatedAt: now.toISOString(), path }), count };
}

/**
 * Trims block history, counted failures and blocks that expired more than `ageMs` ago. Active and permanent blocks
 * always stay. Audit point: `blocks.purge` (cutoff and counts), in the same transaction.
 */
export async function purgeBlocks(d: BlocksDeps, ageMs: number): Promise<{ cutoff: number; counts: PurgeCounts }> {
  const cutoff = d.clock().getTime() - ageMs;
  const counts = await d.store.transaction(async (tx) => {
    const c = await tx.blocks.purge(cutoff);
    await d.audit(tx, 'blocks.purge', { before: cutoff, ...c });
    return c;
  });
  return { cutoff, counts };
}
