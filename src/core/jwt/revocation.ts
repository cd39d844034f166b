/**
 * How a subject revocation (`jwt revoke --sub`) decides which tokens it kills. Pure.
 *
 * `iat` has one-second resolution (RFC 7519 NumericDate), so comparing it with the revocation time cannot tell a token
 * issued just before a revocation from one issued just after it in the same second. Instead, each subject has a
 * revocation mark in the store (the time of its latest revocation, made strictly increasing), and every token agentsec
 * issues carries the mark it was issued under in the `sgen` claim. A revocation raises the mark, which kills every token
 * carrying a lower one and none issued afterwards: the order is the store's commit order, not anyone's clock.
 */

/** The claim holding the subject's revocation mark at issue time (a non-negative integer; 0: never revoked). */
export const SUBJECT_MARK_CLAIM = 'sgen';

/**
 * The lowest subject revocation mark that kills a token with these (verified) claims: a revocation row for the
 * token's subject with `revoked_at >= threshold` means the token is revoked.
 *
 * - With an `sgen` mark: any revocation after the one it was issued under (mark + 1).
 * - Without one (a token from before marks existed, or not minted by agentsec): a revocation at any time in or after
 *   the token's `iat` second. That errs on the side of safety: such tokens issued in the revocation's second are dead.
 * - Without `iat` either: every revocation of the subject.
 */
export function subjectRevocationThreshold(claims: Readonly<Record<string, unknown>>): number {
  const mark = claims[SUBJECT_MARK_CLAIM];
  if (typeof mark === 'number' && Number.isSafeInteger(mark) && mark >= 0) return mark + 1;
  const iat = claims['iat'];
  if (typeof iat === 'number' && Number.isFinite(iat)) return Math.max(0, Math.floor(iat) * 1000);
  return 0;
}
