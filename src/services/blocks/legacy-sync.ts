/**
 * TRANSITIONAL: delete with its last caller. The TOTP area still runs its checks in synchronous better-sqlite3
 * transactions (its move to the Store is under way) and feeds their failures to the blocks policy from inside them,
 * where nothing can be awaited. This is {@link recordFailureIn}'s step, synchronous on that SQLite connection (nested
 * as a savepoint of the caller's transaction), without an in-memory index. Once TOTP runs on `store.transaction`, it
 * calls recordFailureIn (with blocksOn) instead and this file goes.
 */
import type { BlockRecord } from '../../core/blocks/block.js';
import { allowlistCidrs, allowlistConflict, decideFailure, failureSubject, isAllowlisted, policyFromConfig } from '../../core/blocks/policy.js';
import { parseDuration } from '../../core/duration.js';
import { usageError } from '../../core/errors.js';
import { formatIp, ipKey, parseIp } from '../../core/net/index.js';
import type { Db } from '../../store/db.js';
import type { Runtime } from '../runtime.js';
import type { FailureOutcome } from './engine.js';

/** Feeds one authentication failure from another area to the blocks policy, on the caller's open SQLite connection. */
export async function authFailureRecorder(rt: Runtime, db: Db, source: string): Promise<(ip: string, reason: string, at?: number) => FailureOutcome | undefined> {
  const policy = policyFromConfig((await rt.config()).blocks, parseDuration);
  const allow = allowlistCidrs(policy);
  const { BlocksRepo } = await import('../../store/sqlite/blocks.js');
  const { auditRecorder } = await import('../../audit/open.js');
  const repo = new BlocksRepo(db);
  const audit = await auditRecorder(rt, db);
  // `at`: the caller's clock for the failure (the TOTP check's `now`), so both records agree; default the runtime's.
  return (ipText, reason, at = rt.clock().getTime()) => {
    const ip = parseIp(ipText);
    if (!ip) return undefined;
    return db
      .transaction((): FailureOutcome => {
        const text = formatIp(ip);
        if (isAllowlisted(allow, ip)) return { outcome: 'allowlisted', ip: text };
        const covering = repo.covering(ipKey(ip), at);
        if (covering) return { outcome: 'already-blocked', ip: text, block: covering };
        const subject = failureSubject(policy, ip);
        repo.addFailure(subject.value, text, 'auth', at, source);
        const previous = repo.get(subject.value);
        const since = Math.max(at - policy.findTimeMs + 1, previous?.expiresAt ?? 0, repo.lastUnblockAt(subject.value) ?? 0);
        const failures = repo.countFailures(subject.value, since, at);
        const verdict = decideFailure(policy, { now: at, failures, priorBlocks: Math.max(previous?.count ?? 0, repo.priorBlocks(subject.value)) });
        if (!verdict.block) return { outcome: 'counted', ip: text, subject: subject.value, failures, maxFailures: policy.maxFailures };
        const conflict = allowlistConflict(allow, subject);
        if (conflict) throw usageError(`${subject.value} overlaps the allowlist entry ${conflict}: remove it from config blocks.allowlist first`);
        const existing = repo.get(subject.value);
        const count = Math.max(existing?.count ?? 0, repo.priorBlocks(subject.value)) + 1;
        const block: BlockRecord = { value: subject.value, scope: subject.scope, start: subject.start, end: subject.end, reason, source, createdAt: at, expiresAt: verdict.expiresAt, count };
        repo.upsert(block);
        repo.addEvent({ at, action: 'block', value: block.value, scope: block.scope, reason: block.reason, source: block.source, expiresAt: block.expiresAt, count });
        audit('blocks.block', { value: block.value, scope: block.scope, expiresAt: block.expiresAt, reason: block.reason, source: block.source, count });
        return { outcome: 'blocked', ip: text, subject: subject.value, failures, block };
      })
      .immediate();
  };
}
