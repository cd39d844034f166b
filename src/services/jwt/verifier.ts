/**
 * A long-lived token verifier for a serving process (the library's verifyJwt, and later `agentsec serve`): the
 * keyring, the denylist and the verdicts of tokens already seen, all held in memory and kept current through the
 * store's change feed.
 *
 * - The feed's version is read at most once a millisecond (SQLite's `PRAGMA data_version` costs more than a cache
 *   hit): a revocation, keygen or trust committed by another process counts from at most 1 ms later. Revocations
 *   made through this verifier's own process call {@link TokenVerifier.invalidate} and count at once.
 * - When the version moves, every cached verdict is dropped and the denylist is read again (one query), so the
 *   revocation check of a first-seen token is an in-memory lookup, never a store read per call.
 * - A verdict is cached only when valid, under the SHA-256 of the token (never the token), for this exact policy,
 *   until the earliest of its exp, iat + max age and its key's end (plus tolerance). The cache is bounded: the
 *   oldest entry goes first.
 */
import * as nodeCrypto from 'node:crypto';
import { subjectRevocationThreshold } from '../../core/jwt/revocation.js';
import { verifyToken, type JwtVerdict, type VerifyKeyring } from '../../core/jwt/verify.js';
import type { RevocationRow } from '../../store/jwt.js';
import type { CheckOptions } from './check.js';
import { verifyRing, type JwtDeps } from './keyring.js';

export interface TokenVerifier {
  verify(token: string, o: CheckOptions): Promise<JwtVerdict>;
  /** Drops every cached verdict and reloads the ring and denylist before the next answer (after a local change). */
  invalidate(): void;
  /** For tests and metrics: how many verdicts are cached. */
  readonly size: number;
}

// A retiring key turns retired with time alone, without a commit: the ring is rebuilt at least this often.
const RING_MAX_AGE_MS = 60_000;
export const DEFAULT_CACHE_ENTRIES = 10_000;

interface Cached {
  readonly policy: string;
  readonly verdict: JwtVerdict;
  readonly from: number;
  readonly until: number;
}

interface Denylist {
  readonly jtis: ReadonlySet<string>;
  readonly subjects: ReadonlyMap<string, number>;
}

function denylistOf(rows: readonly RevocationRow[]): Denylist {
  const jtis = new Set<string>();
  const subjects = new Map<string, number>();
  for (const r of rows) {
    if (r.kind === 'jti') jtis.add(r.value);
    else subjects.set(r.value, Math.max(subjects.get(r.value) ?? 0, r.revokedAt));
  }
  return { jtis, subjects };
}

// crypto.hash (Node >= 20.12) is the one-shot digest, measured about twice as fast as createHash().update().digest().
const oneShot = (nodeCrypto as { hash?: (alg: string, data: string, enc: 'base64url') => string }).hash;
const tokenHash = oneShot ? (t: string): string => oneShot('sha256', t, 'base64url') : (t: string): string => nodeCrypto.createHash('sha256').update(t).digest('base64url');

function policyKey(o: CheckOptions): string {
  return `${o.kind}\u0000${o.issuer ?? ''}\u0000${(o.audience ?? []).join('\u0001')}\u0000${o.clockToleranceS}\u0000${o.maxAgeS ?? ''}\u0000${(o.scopes ?? []).join('\u0001')}`;
}

/** A verifier over the store of `d`; see the module comment for what it keeps and when it lets go. */
export function tokenVerifier(d: Pick<JwtDeps, 'store' | 'sealKey'>, opts: { maxEntries?: number } = {}): TokenVerifier {
  // Two generations, each up to half the bound: when the young one fills, the old one is dropped whole. Evicting
  // one oldest entry at a time from a single Map was measured to cost O(n) per insert once it is full (V8 skips the
  // deleted slots at the front on every `keys().next()`), which halved the first-seen rate.
  const half = Math.max(1, Math.floor((opts.maxEntries ?? DEFAULT_CACHE_ENTRIES) / 2));
  let young = new Map<string, Cached>();
  let old = new Map<string, Cached>();
  const cache = {
    get(k: string): Cached | undefined {
      return young.get(k) ?? old.get(k);
    },
    set(k: string, v: Cached): void {
      if (young.size >= half) {
        old = young;
        young = new Map();
      }
      young.set(k, v);
    },
    clear(): void {
      young = new Map();
      old = new Map();
    },
    get size(): number {
      return young.size + old.size;
    },
  };
  let seenVersion = Number.NaN;
  let checkedAt = -Infinity;
  let ring: VerifyKeyring | null = null;
  let ringBuiltAt = 0;
  let denylist: Denylist | null = null;
  let loading: Promise<void> | null = null;

  const isRevoked = (c: Readonly<Record<string, unknown>>): boolean => {
    const list = denylist as Denylist;
    if (typeof c['jti'] === 'string' && list.jtis.has(c['jti'])) return true;
    const mark = typeof c['sub'] === 'string' ? list.subjects.get(c['sub']) : undefined;
    return mark !== undefined && mark >= subjectRevocationThreshold(c);
  };

  async function load(now: number): Promise<void> {
    // The version is read before what it covers: a commit landing during the reads moves it again, and is seen next.
    const version = d.store.changes.version();
    const [r, rows] = await Promise.all([verifyRing(d, now), d.store.jwt.revocations(now)]);
    ring = r;
    ringBuiltAt = now;
    denylist = denylistOf(rows);
    seenVersion = version;
    cache.clear();
  }

  async function current(now: number): Promise<VerifyKeyring> {
    const t = performance.now();
    if (t - checkedAt >= 1) {
      checkedAt = t;
      if (d.store.changes.version() !== seenVersion) ring = null;
    }
    if (ring === null || Math.abs(now - ringBuiltAt) > RING_MAX_AGE_MS) {
      loading ??= load(now).finally(() => (loading = null));
      await loading;
    }
    return ring as unknown as VerifyKeyring;
  }

  return {
    async verify(token, o) {
      const r = await current(o.now);
      const hash = tokenHash(token);
      const policy = policyKey(o);
      const hit = cache.get(hash);
      if (hit !== undefined && hit.policy === policy && o.now >= hit.from && o.now < hit.until) return hit.verdict;
      const v = await verifyToken(token, r, { ...o, isRevoked });
      if (v.valid && v.validUntil !== undefined && v.validUntil > o.now) cache.set(hash, { policy, verdict: v, from: o.now, until: v.validUntil });
      return v;
    },
    invalidate() {
      ring = null;
      cache.clear();
    },
    get size() {
      return cache.size;
    },
  };
}
