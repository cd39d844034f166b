/**
 * How far ahead of this host's clock a log line's time may be and still pass as clock drift between the host that
 * wrote the log and this one. Beyond it the line's time is not believed (it is counted as now, and reported).
 */
export const CLOCK_SKEW_MS = 60_000;

/** When a failure read from a log line counts, or that it does not count at all. */
export type FailureTime = { readonly kind: 'counted'; readonly at: number; readonly futureDated: boolean } | { readonly kind: 'too-old' };

/**
 * The instant a failure read from a log line is recorded at, given the line's own time (`lineAt`, undefined when
 * the line has none) and the clock (`now`).
 *
 * A log line's time is data written by whoever wrote the log, so it bounds nothing by itself: a line dated 2099
 * would otherwise create a block lasting until 2099 (and a failure that counts in every window until then), and a
 * line dated 1970 a block that expired before it was made. So the time is clamped to `now` (a line up to
 * {@link CLOCK_SKEW_MS} ahead is drift, further ahead is reported as `futureDated`), and a line at or before
 * `now - findTimeMs` is `too-old`: it could not be part of a window that ends now. That is what fail2ban does
 * with lines older than its findtime, and it makes replaying an old log on purpose block nothing that the policy
 * would not block now.
 */
export function failureTime(lineAt: number | undefined, now: number, findTimeMs: number): FailureTime {
  if (lineAt === undefined) return { kind: 'counted', at: now, futureDated: false };
  if (lineAt > now) return { kind: 'counted', at: now, futureDated: lineAt > now + CLOCK_SKEW_MS };
  if (lineAt <= now - findTimeMs) return { kind: 'too-old' };
  return { kind: 'counted', at: lineAt, futureDated: false };
}
