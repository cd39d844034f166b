import type { AuditRecorder } from '../audit/open.js';
import { isActive, type BlockRecord } from '../core/blocks/block.js';
import { allowlistConflict, decideFailure, failureSubject, isAllowlisted, type BlockPolicy, type FailureKind } from '../core/blocks/policy.js';
import type { BlockTarget } from '../core/blocks/target.js';
import { usageError } from '../core/errors.js';
import { formatIp, ipKey, type Cidr, type IpAddress } from '../core/net/index.js';
import type { BlocksRepo } from '../store/blocks-repo.js';
import type { SyncedIndex } from './index-sync.js';
import type { Db } from '../store/db.js';

/** The store, the policy and the audit recorder every block change goes through (CLI and library alike). */
export interface BlocksEngine {
  readonly db: Db;
  readonly repo: BlocksRepo;
  readonly policy: BlockPolicy;
  readonly allow: readonly Cidr[];
  readonly audit: AuditRecorder;
  /**
   * An in-memory index of the blocks, for callers that check many addresses (ingest, the library); kept in step
   * with this engine's own changes, and by the caller with other processes' (syncIndex inside the transaction).
   */
  readonly synced?: SyncedIndex | undefined;
}

export interface AddInput {
  readonly expiresAt: number | null;
  readonly reason: string | null;
  readonly source: string;
  readonly now: number;
}

/**
 * Blocks `target` (or replaces its current block with the new expiry and reason). Refused when the allowlist
 * holds any of it: an operator who blocks their own monitoring by a typo finds out at once. Must run inside a
 * transaction. Audit point: `blocks.block` (value, scope, expiry, reason, source, count).
 */
export function blockTx(e: BlocksEngine, target: BlockTarget, input: AddInput): BlockRecord {
  const conflict = allowlistConflict(e.allow, target);
  if (conflict) throw usageError(`${target.value} overlaps the allowlist entry ${conflict}: remove it from config blocks.allowlist first`);
  const existing = e.repo.get(target.value);
  const count = Math.max(existing?.count ?? 0, e.repo.priorBlocks(target.value)) + 1;
  const record: BlockRecord = { value: target.value, scope: target.scope, start: target.start, end: target.end, reason: input.reason, source: input.source, createdAt: input.now, expiresAt: input.expiresAt, count };
  e.repo.upsert(record);
  e.repo.addEvent({ at: input.now, action: 'block', value: record.value, scope: record.scope, reason: record.reason, source: record.source, expiresAt: record.expiresAt, count });
  e.synced?.index.set(record);
  e.audit('blocks.block', { value: record.value, scope: record.scope, expiresAt: record.expiresAt, reason: record.reason, source: record.source, count });
  return record;
}

/** Adds a block in its own immediate transaction. */
export function addBlock(e: BlocksEngine, target: BlockTarget, input: AddInput): BlockRecord {
  return e.db.transaction(() => blockTx(e, target, input)).immediate();
}

/**
 * Lifts the block on exactly `target` (not a wider or narrower one). Returns the block that was active, or
 * undefined when there was none. Audit point: `blocks.unblock` (value, source), only when something was lifted.
 */
export function removeBlock(e: BlocksEngine, target: BlockTarget, input: { now: number; source: string }): BlockRecord | undefined {
  return e.db
    .transaction(() => {
      const existing = e.repo.get(target.value);
      if (!existing || !isActive(existing, input.now)) return undefined;
      e.repo.delete(target.value);
      e.synced?.index.delete(target.value);
      e.repo.addEvent({ at: input.now, action: 'unblock', value: existing.value, scope: existing.scope, reason: null, source: input.source, expiresAt: null, count: existing.count });
      e.audit('blocks.unblock', { value: existing.value, scope: existing.scope, source: input.source });
      return existing;
    })
    .immediate();
}

export type FailureOutcome =
  | { readonly outcome: 'allowlisted'; readonly ip: string }
  | { readonly outcome: 'already-blocked'; readonly ip: string; readonly block: BlockRecord }
  | { readonly outcome: 'counted'; readonly ip: string; readonly subject: string; readonly failures: number; readonly maxFailures: number }
  | { readonly outcome: 'blocked'; readonly ip: string; readonly subject: string; readonly failures: number; readonly block: BlockRecord };

/**
 * Records one failure at `at` and applies the policy. Must run inside an immediate transaction (the caller's
 * batch, or {@link recordFailure}), so that concurrent writers serialise and each block is created exactly once.
 * Failures from before the subject's last block ended (or was lifted) are not counted again. The history keeps
 * failures that were counted; those from an already blocked address are only reported.
 */
export function recordFailureTx(e: BlocksEngine, ip: IpAddress, kind: FailureKind, input: { at: number; source: string; reason: string | null }): FailureOutcome {
  const ipText = formatIp(ip);
  if (isAllowlisted(e.allow, ip)) return { outcome: 'allowlisted', ip: ipText };
  const covering = e.synced ? e.synced.index.lookup(ip, input.at) : e.repo.covering(ipKey(ip), input.at);
  // A failure from a blocked address can never count (the window restarts when the block ends), so it is
  // reported but not stored: under attack, that is most of them.
  if (covering) return { outcome: 'already-blocked', ip: ipText, block: covering };
  const subject = failureSubject(e.policy, ip);
  e.repo.addFailure(subject.value, ipText, kind, input.at, input.source);
  const previous = e.repo.get(subject.value);
  // The window is (at - findTime, at], and starts no earlier than the instant the last block ended or was lifted.
  const since = Math.max(input.at - e.policy.findTimeMs + 1, previous?.expiresAt ?? 0, e.repo.lastUnblockAt(subject.value) ?? 0);
  const failures = e.repo.countFailures(subject.value, since, input.at);
  const verdict = decideFailure(e.policy, { now: input.at, failures, priorBlocks: Math.max(previous?.count ?? 0, e.repo.priorBlocks(subject.value)) });
  if (!verdict.block) return { outcome: 'counted', ip: ipText, subject: subject.value, failures, maxFailures: e.policy.maxFailures };
  const reason = input.reason ?? `${failures} ${kind} failures within ${Math.round(e.policy.findTimeMs / 1000)}s`;
  const block = blockTx(e, subject, { expiresAt: verdict.expiresAt, reason, source: input.source, now: input.at });
  return { outcome: 'blocked', ip: ipText, subject: subject.value, failures, block };
}

/**
 * Records one failure in its own immediate transaction. The clock is read under the write lock, so failures are
 * stored in lock order: a writer that waited never counts a window ending before failures already committed.
 */
export function recordFailure(e: BlocksEngine, ip: IpAddress, kind: FailureKind, input: { clock: () => number; source: string; reason: string | null }): FailureOutcome {
  return e.db.transaction(() => recordFailureTx(e, ip, kind, { at: input.clock(), source: input.source, reason: input.reason })).immediate();
}
