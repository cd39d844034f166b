/** Failure counting and lockout for TOTP verification. Pure: times come in as epoch milliseconds. */

export interface LockoutPolicy {
  /** Failures within `windowMs` that lock the user. */
  readonly maxFailures: number;
  readonly windowMs: number;
  /** How long a lock lasts. */
  readonly lockMs: number;
}

export const DEFAULT_LOCKOUT: LockoutPolicy = { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };

/** True while a lock set earlier still holds. */
export function isLocked(lockedUntil: number | null, now: number): boolean {
  return lockedUntil !== null && lockedUntil > now;
}

/**
 * What one more failure means: given the failure times already recorded (any order, any age), returns the count
 * inside the window including this one and, when that reaches the limit, until when the user is locked.
 *
 * Failures dated after `now` count too. Concurrent verifiers read their clock before they wait for the store's
 * write lock, and hosts sharing a store disagree about the time, so a failure another verifier recorded "later" than
 * this one's `now` is still a guess that was checked; ignoring it would let parallel guessing exceed the limit.
 */
export function afterFailure(previous: readonly number[], now: number, policy: LockoutPolicy): { failures: number; lockUntil: number | null } {
  const since = now - policy.windowMs;
  const failures = previous.filter((t) => t > since).length + 1;
  return { failures, lockUntil: failures >= policy.maxFailures ? now + policy.lockMs : null };
}
