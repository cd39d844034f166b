/**
 * Rate limits of `agentsec serve`, by GCRA (the generic cell rate algorithm, as in ATM networks and redis-cell): a
 * limit of `count` per `period` with a burst `burst` lets `burst` requests through at once, then one every
 * `period / count`. Each bucket is one number, its theoretical arrival time (TAT), so a million buckets cost a
 * million numbers; a bucket whose TAT has passed is the same as no bucket and may be dropped at any time.
 *
 * Memory is bounded: at most `maxBuckets` per limiter, the least recently used dropped first. Dropping a bucket
 * forgets its debt, which an attacker spreading over more keys than `maxBuckets` could use; that is why the default
 * is generous and why the per-IP limit is the one that also feeds the blocks policy.
 */

/** A parsed limit: `count` requests per `periodMs`, with up to `burst` at once. */
export interface RateSpec {
  readonly count: number;
  readonly periodMs: number;
  readonly burst: number;
}

const UNITS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses `5/m`, `100/s`, `1000/h`, `10/d`; the burst defaults to the count. */
export function parseRate(text: string, burst?: number): RateSpec | undefined {
  const m = /^(\d{1,9})\/(s|m|h|d)$/.exec(text);
  if (!m) return undefined;
  const count = Number(m[1]);
  if (count < 1) return undefined;
  const b = burst ?? count;
  if (!Number.isInteger(b) || b < 1) return undefined;
  return { count, periodMs: (UNITS[m[2] as string] as number), burst: b };
}

export type RateVerdict = { readonly ok: true; readonly remaining: number } | { readonly ok: false; readonly retryAfterMs: number };

/** One limit's buckets, by key (an address, a key id, a subject). */
export class GcraLimiter {
  private readonly tat = new Map<string, number>();
  private readonly interval: number;
  private readonly tolerance: number;

  constructor(
    readonly spec: RateSpec,
    private readonly maxBuckets = 100_000,
  ) {
    this.interval = spec.periodMs / spec.count;
    // A full burst leaves the TAT this far ahead of now; one more request would pass it.
    this.tolerance = this.interval * (spec.burst - 1);
  }

  /** Counts one request of `key` at `now` (ms), or says how long until it would pass. */
  take(key: string, now: number): RateVerdict {
    const prev = this.tat.get(key);
    const tat = prev === undefined || prev < now ? now : prev;
    const allowAt = tat - this.tolerance;
    if (now < allowAt) return { ok: false, retryAfterMs: Math.ceil(allowAt - now) };
    const next = tat + this.interval;
    // Delete then set: Map keeps insertion order, so the first key is always the least recently used.
    if (prev !== undefined) this.tat.delete(key);
    else if (this.tat.size >= this.maxBuckets) this.evict(now);
    this.tat.set(key, next);
    return { ok: true, remaining: Math.max(0, Math.floor((now + this.tolerance + this.interval - next) / this.interval)) };
  }

  /** Buckets held now (for metrics and tests). */
  get size(): number {
    return this.tat.size;
  }

  private evict(now: number): void {
    // Expired buckets first (free to drop), looking at a bounded number; else the least recently used one.
    let looked = 0;
    for (const [k, t] of this.tat) {
      if (t <= now) this.tat.delete(k);
      if (++looked >= 64) break;
    }
    if (this.tat.size >= this.maxBuckets) {
      const oldest = this.tat.keys().next();
      if (!oldest.done) this.tat.delete(oldest.value);
    }
  }
}
