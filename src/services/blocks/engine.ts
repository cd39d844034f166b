/**
 * The steps every block change goes through (CLI, library, ingest and the other areas' failure feeds alike), each
 * inside the caller's transaction: the allowlist, escalation, the failure window, the history and the audit entry.
 */
import { isActive, type BlockRecord } from '../../core/blocks/block.js';
import { allowlistConflict, decideFailure, failureSubject, isAllowlisted, type BlockPolicy, type FailureKind } from '../../core/blocks/policy.js';
import type { BlockTarget } from '../../core/blocks/target.js';
import { usageError } from '../../core/errors.js';
import { badIpMessage, formatIp, ipKey, parseIp, type Cidr, type IpAddress } from '../../core/net/index.js';
import type { Store, Tx } from '../../store/store.js';
import type { AuditSink } from '../audit-sink.js';
import { deleteIn, lookupIn, setIn, viewOf, type SyncedIndex, type TxView } from './index-sync.js';

/** What every block operation runs on: the store, its audit sink, the clock, the policy in force and its allowlist. */
export interface BlocksDeps {
  readonly store: Store;
  readonly audit: AuditSink;
  readonly clock: () => Date;
  readonly policy: BlockPolicy;
  readonly allow: readonly Cidr[];
  /**
   * An in-memory index of the blocks, for callers that check many addresses (ingest, the library): lookups use it
   * instead of the store, and every change made through these deps keeps it in step once committed.
   */
  readonly synced?: SyncedIndex | undefined;
}

export interface AddInput {
  readonly expiresAt: number | null;
  readonly reason: string | null;
  readonly source: string;
  readonly now: number;
}

export interface FailureInput {
  /** When the failure happened (read under the write lock by callers that take the time now). */
  readonly at: number;
  /** Kept with the failure and with a block it causes: `record`, `ingest:access.log`, `keys.verify` … */
  readonly source: string;
  /** Kept with a block this failure causes; null gives the policy's own ("5 auth failures within 600s"). */
  readonly reason: string | null;
}

export type FailureOutcome =
  | { readonly outcome: 'allowlisted'; readonly ip: string }
  | { readonly outcome: 'already-blocked'; readonly ip: string; readonly block: BlockRecord }
  | { readonly outcome: 'counted'; readonly ip: string; readonly subject: string; readonly failures: number; readonly maxFailures: number }
  | { readonly outcome: 'blocked'; readonly ip: string; readonly subject: string; readonly failures: number; readonly block: BlockRecord };

/**
 * Blocks `target` (or replaces its current block with the new expiry and reason) inside `tx`. Refused when the
 * allowlist holds any of it: an operator who blocks their own monitoring by a typo finds out at once. Audit point:
 * `blocks.block` (value, scope, expiry, reason, source, count), in the same transaction.
 */
export async function blockIn(d: BlocksDeps, tx: Tx, target: BlockTarget, input: AddInput): Promise<BlockRecord> {
  const conflict = allowlistConflict(d.allow, target);
  if (conflict) throw usageError(`${target.value} overlaps the allowlist entry ${conflict}: remove it from config blocks.allowlist first`);
  // Opened before this transaction writes: the view's sync must read only committed history.
  const view = d.synced ? await viewOf(d.synced, tx) : undefined;
  const existing = await tx.blocks.get(target.value);
  const count = Math.max(existing?.count ?? 0, await tx.blocks.priorBlocks(target.value)) + 1;
  const record: BlockRecord = { value: target.value, scope: target.scope, start: target.start, end: target.end, reason: input.reason, source: input.source, createdAt: input.now, expiresAt: input.expiresAt, count };
  await tx.blocks.upsert(record);
  await tx.blocks.addEvent({ at: input.now, action: 'block', value: record.value, scope: record.scope, reason: record.reason, source: record.source, expiresAt: record.expiresAt, count });
  if (view) setIn(view, record);
  await d.audit(tx, 'blocks.block', { value: record.value, scope: record.scope, expiresAt: record.expiresAt, reason: record.reason, source: record.source, count });
  return record;
}

/**
 * Lifts the block on exactly `target` (not a wider or narrower one) inside `tx`. Returns the block that was active,
 * or undefined when there was none. Audit point: `blocks.unblock` (value, source), only when something was lifted.
 */
export async function unblockIn(d: BlocksDeps, tx: Tx, target: BlockTarget, input: { now: number; source: string }): Promise<BlockRecord | undefined> {
  const view = d.synced ? await viewOf(d.synced, tx) : undefined;
  const existing = await tx.blocks.get(target.value);
  if (!existing || !isActive(existing, input.now)) return undefined;
  await tx.blocks.delete(target.value);
  if (view) deleteIn(view, target.value);
  await tx.blocks.addEvent({ at: input.now, action: 'unblock', value: existing.value, scope: existing.scope, reason: null, source: input.source, expiresAt: null, count: existing.count });
  await d.audit(tx, 'blocks.unblock', { value: existing.value, scope: existing.scope, source: input.source });
  return existing;
}

function addressOf(ip: IpAddress | string): IpAddress {
  if (typeof ip !== 'string') return ip;
  const parsed = parseIp(ip);
  if (!parsed) throw usageError(`${badIpMessage(ip, 'an IP address')}: give an IPv4 or IPv6 address`);
  return parsed;
}

/**
 * Records one failure of `ip` at `input.at` inside the caller's transaction and applies the policy: the way other
 * areas (a wrong API key, a wrong TOTP code) feed the blocks policy from the transaction of their own check, so both
 * counts commit together or not at all. The transaction serialises writers, so each block is created exactly once.
 * Failures from before the subject's last block ended (or was lifted) are not counted again. The history keeps
 * failures that were counted; those from an already blocked address are only reported. A string `ip` is parsed
 * strictly (a usage error when it is not an address).
 */
export async function recordFailureIn(d: BlocksDeps, tx: Tx, ip: IpAddress | string, kind: FailureKind, input: FailureInput): Promise<FailureOutcome> {
  const addr = addressOf(ip);
  const s = d.synced;
  if (isAllowlisted(d.allow, addr)) return { outcome: 'allowlisted', ip: formatIp(addr) };
  // The index answers from memory when there is one; without one, the store answers.
  const covering = s ? lookupIn(s, s.views.get(tx) ?? (await viewOf(s, tx)), addr, input.at) : await tx.blocks.covering(ipKey(addr), input.at);
  // A failure from a blocked address can never count (the window restarts when the block ends), so it is
  // reported but not stored: under attack, that is most of them.
  if (covering) return { outcome: 'already-blocked', ip: formatIp(addr), block: covering };
  return countFailureIn(d, tx, addr, kind, input);
}

/**
 * What the in-memory index alone decides about a failure, synchronously and without building an outcome:
 * `allowlisted`, or the block that already covers the address (the failure is then only reported, as
 * {@link recordFailureIn} does). Undefined when the failure must be counted in the store. A hot loop (ingest) asks
 * this first and awaits nothing for most failures; `view` is the transaction's view of the index `s` ({@link viewOf}).
 */
export function screenFailure(d: Pick<BlocksDeps, 'allow'>, s: SyncedIndex, view: TxView, addr: IpAddress, at: number): 'allowlisted' | BlockRecord | undefined {
  if (isAllowlisted(d.allow, addr)) return 'allowlisted';
  return lookupIn(s, view, addr, at);
}

/** Counts a failure no block covers, and blocks its subject when the policy says so. */
async function countFailureIn(d: BlocksDeps, tx: Tx, addr: IpAddress, kind: FailureKind, input: FailureInput): Promise<FailureOutcome> {
  const ipText = formatIp(addr);
  const subject = failureSubject(d.policy, addr);
  await tx.blocks.addFailure(subject.value, ipText, kind, input.at, input.source);
  const previous = await tx.blocks.get(subject.value);
  // The window is (at - findTime, at], and starts no earlier than the instant the last block ended or was lifted.
  const since = Math.max(input.at - d.policy.findTimeMs + 1, previous?.expiresAt ?? 0, (await tx.blocks.lastUnblockAt(subject.value)) ?? 0);
  const failures = await tx.blocks.countFailures(subject.value, since, input.at);
  const verdict = decideFailure(d.policy, { now: input.at, failures, priorBlocks: Math.max(previous?.count ?? 0, await tx.blocks.priorBlocks(subject.value)) });
  if (!verdict.block) return { outcome: 'counted', ip: ipText, subject: subject.value, failures, maxFailures: d.policy.maxFailures };
  const reason = input.reason ?? `${failures} ${kind} failures within ${Math.round(d.policy.findTimeMs / 1000)}s`;
  const block = await blockIn(d, tx, subject, { expiresAt: verdict.expiresAt, reason, source: input.source, now: input.at });
  return { outcome: 'blocked', ip: ipText, subject: subject.value, failures, block };
}
