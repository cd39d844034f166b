/**
 * The parts of a TOTP verification that run inside a store transaction: the lockout read, the code check and the
 * failure count together, which is what bounds guessing under concurrency (see {@link checkOrReserve}).
 */
import { open } from '../../core/crypto/seal.js';
import { usageError } from '../../core/errors.js';
import { afterFailure, isLocked } from '../../core/totp/lockout.js';
import { checkTotp } from '../../core/totp/otp.js';
import { classifyCode } from '../../core/totp/params.js';
import type { Tx } from '../../store/store.js';
import type { BackupCodeRow, TotpUser } from '../../store/totp.js';
import { requireUserIn, type AttemptContext, type TotpDeps, type TotpVerdict } from './types.js';

type FailureCount = { failures: number; lockUntil: number | null };

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * Counts one failure; locks the user when the policy says so. Runs inside the caller's transaction, the same one
 * that read the lockout state, so no concurrent attempt can be checked between the read and the count.
 * Audit point: `totp.lockout` (id, user, until, failures, ip), in that transaction too.
 */
async function countFailure(d: TotpDeps, tx: Tx, user: TotpUser, reason: string, c: AttemptContext, opts: { blocks: boolean } = { blocks: true }): Promise<FailureCount> {
  await tx.totp.pruneFailures(user.id, c.now - d.policy.windowMs);
  const previous = await tx.totp.failuresSince(user.id, c.now - d.policy.windowMs);
  await tx.totp.recordFailure(user.id, c.now, c.ip, reason);
  if (opts.blocks && c.ip && c.failureFeed) await c.failureFeed(tx, c.ip, `totp ${reason}`, c.now);
  const r = afterFailure(previous, c.now, d.policy);
  if (r.lockUntil !== null) {
    await tx.totp.setLockedUntil(user.id, r.lockUntil);
    await d.audit(tx, 'totp.lockout', { id: user.id, user: user.name, until: r.lockUntil, failures: r.failures, ip: c.ip });
  }
  return r;
}

function failureVerdict(user: TotpUser, code: 'INVALID' | 'REPLAYED', r: FailureCount): TotpVerdict {
  return { code, valid: false, user: user.name, failures: r.failures, ...(r.lockUntil !== null ? { lockedUntil: iso(r.lockUntil) } : {}) };
}

async function failed(d: TotpDeps, tx: Tx, user: TotpUser, code: 'INVALID' | 'REPLAYED', c: AttemptContext): Promise<TotpVerdict> {
  return failureVerdict(user, code, await countFailure(d, tx, user, code.toLowerCase(), c));
}

/** A backup code's attempt, already counted as a failure, waiting for the (slow) argon2 comparison. */
export interface BackupAttempt {
  readonly user: TotpUser;
  readonly candidate: string;
  readonly rows: readonly BackupCodeRow[];
  readonly reserved: FailureCount;
}

/** Opens the seed only for the check and wipes it at once. */
function checkSeed(d: TotpDeps, user: TotpUser, code: string, c: AttemptContext, lastStep: number | null): ReturnType<typeof checkTotp> {
  const seed = open(d.seedKey, user.seedSealed, user.id);
  try {
    return checkTotp(seed, user, code, { nowMs: c.now, window: c.window, lastStep });
  } finally {
    seed.fill(0);
  }
}

/**
 * Checks a TOTP code, or reserves a backup code's attempt, in one transaction (serialised against every other
 * writer, in this process and in others) that also reads the user's lockout state. That is what bounds guessing
 * under concurrency: every code that is checked was first admitted by a lockout read that saw every earlier attempt
 * counted, so at most `maxFailures` guesses are checked per window however many processes or in-process calls race.
 * TOTP is checked right here (HMAC is fast); a backup code needs argon2, which must not run inside a transaction, so
 * its attempt is counted as a failure before the comparison and the count is withdrawn only if the code turns out
 * to be right ({@link settleBackupCode}).
 */
export async function checkOrReserve(d: TotpDeps, tx: Tx, name: string, typed: string, c: AttemptContext): Promise<TotpVerdict | BackupAttempt> {
  const user = await tx.totp.byName(name);
  if (!user) {
    // Probing for user names is an authentication failure too, for the client's address.
    if (c.ip && c.failureFeed) await c.failureFeed(tx, c.ip, 'totp unknown user', c.now);
    return { code: 'UNKNOWN_USER', valid: false, user: name };
  }
  if (user.status === 'pending') return { code: 'PENDING', valid: false, user: name };
  if (isLocked(user.lockedUntil, c.now)) return { code: 'LOCKED', valid: false, user: name, lockedUntil: iso(user.lockedUntil as number) };
  const shape = classifyCode(typed);
  // Not a code at all (a caller's bug, not a guess): answered without counting, like the CLI's usage error.
  if (shape.kind === 'malformed') return { code: 'MALFORMED', valid: false, user: name };
  if (shape.kind === 'backup') {
    // The blocks policy hears about this failure only once it is one: a right backup code must not count against the address.
    const reserved = await countFailure(d, tx, user, 'invalid', c, { blocks: false });
    return { user, candidate: shape.code, rows: await tx.totp.unusedBackupCodes(user.id), reserved };
  }
  const check = checkSeed(d, user, shape.code, c, user.lastStep);
  if (!check.valid) return failed(d, tx, user, check.reason === 'replayed' ? 'REPLAYED' : 'INVALID', c);
  // lastStep was read in this transaction, so this compare-and-set only fails if that invariant is ever broken.
  if (!(await tx.totp.acceptStep(user.id, check.timeStep, c.now))) return failed(d, tx, user, 'REPLAYED', c);
  await tx.totp.clearFailures(user.id);
  return { code: 'VALID', valid: true, user: name, method: 'totp', drift: check.delta };
}

/**
 * Settles a reserved backup-code attempt after the argon2 comparison, in a second transaction: a match that is
 * still unused withdraws the reservation; anything else stays the failure it was counted as.
 */
export async function settleBackupCode(d: TotpDeps, tx: Tx, attempt: BackupAttempt, match: BackupCodeRow | undefined, c: AttemptContext): Promise<TotpVerdict> {
  const { user, reserved } = attempt;
  // A code used (or replaced by a regeneration) since the reservation is not a match any more: the CAS says so.
  if (match && (await tx.totp.useBackupCode(user.id, match.idx, match.hash, c.now))) {
    await tx.totp.touch(user.id, c.now);
    // The right code withdraws its own reservation with every other counted failure, as a right TOTP code does,
    // and lifts the lock only if that reservation set it (a lock set by later guesses stays).
    await tx.totp.clearFailures(user.id);
    const current = await tx.totp.byName(user.name);
    const unlocked = reserved.lockUntil !== null && current?.id === user.id && current.lockedUntil === reserved.lockUntil;
    if (unlocked) await tx.totp.setLockedUntil(user.id, null);
    const left = await tx.totp.backupCodesLeft(user.id);
    await d.audit(tx, 'totp.backup-code.use', { id: user.id, user: user.name, index: match.idx, left, ip: c.ip, ...(unlocked ? { unlocked: true } : {}) });
    return { code: 'VALID_BACKUP_CODE', valid: true, user: user.name, method: 'backup-code', backupCodesLeft: left };
  }
  if (c.ip && c.failureFeed) await c.failureFeed(tx, c.ip, 'totp invalid', c.now);
  return failureVerdict(user, 'INVALID', reserved);
}

/**
 * The first half of a confirmation: the lockout read, the check of the confirming code and the failure count, in one
 * transaction as in {@link checkOrReserve}. Returns the step to activate at, or the negative verdict.
 */
export async function checkConfirmation(d: TotpDeps, tx: Tx, name: string, typed: string, c: AttemptContext): Promise<TotpVerdict | { user: TotpUser; step: number }> {
  const user = await requireUserIn(tx, name);
  if (user.status !== 'pending') throw usageError(`user '${name}' is already confirmed: use agentsec totp verify, or enroll --force to start over`);
  if (isLocked(user.lockedUntil, c.now)) return { code: 'LOCKED', valid: false, user: name, lockedUntil: iso(user.lockedUntil as number) };
  const shape = classifyCode(typed);
  if (shape.kind !== 'totp') return failed(d, tx, user, 'INVALID', c);
  const check = checkSeed(d, user, shape.code, c, null);
  if (!check.valid) return failed(d, tx, user, 'INVALID', c);
  return { user, step: check.timeStep };
}
