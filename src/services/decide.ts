/**
 * The one decision of `agentsec serve`: may this request through? Shared by forward auth (/auth), the app API and
 * the Node middleware; each only maps its request to a {@link DecisionInput} and the {@link Decision} to its reply.
 *
 * Order, each step skipped once one decides:
 * 1. a blocked client address: 403, from the in-memory block index, with no other work (no parsing of credentials,
 *    no store read, no rate-limit bucket);
 * 2. the path, normalised (a path that is not one is refused, 403, rather than matched against a guess);
 * 3. the credential: an API key (`X-API-Key` or `Authorization: Bearer`) or a JWT access token (Bearer). A public
 *    route may be reached without one; a credential that is sent is always checked, on public routes too, and a
 *    bad one is 401 and counts as an auth failure against the address in the blocks policy;
 * 4. the route's required permission (403 when the credential lacks it);
 * 5. the rate limits that apply (429 with Retry-After);
 * 6. allowed: with the identity, or as `public`.
 *
 * Caches (found API keys, verified tokens, the JWT keyring, the block index) are dropped or brought up to date when
 * the store's change feed moves, so a `keys revoke`, `jwt revoke` or `blocks add` by the CLI counts within 1 s. Any
 * store error fails closed: 503, never an allow.
 */
import { cliActor } from '../platform/actor.js';
import { APIKEYS_HMAC_PURPOSE, verifyKey, type ApiKeyLookup, type VerifyCache } from '../core/apikeys/verify.js';
import { missingPermissions } from '../core/apikeys/permissions.js';
import { deriveSubkey } from '../core/crypto/seal.js';
import { JWT_KEYS_PURPOSE } from '../core/jwt/key-material.js';
import { grantedPermissions, type VerifyKeyring } from '../core/jwt/verify.js';
import { parseIp, type IpAddress } from '../core/net/index.js';
import { readCredential } from '../core/serve/credential.js';
import { GcraLimiter } from '../core/serve/rate-limit.js';
import { normalisePath, requirementFor, routeMatches } from '../core/serve/routes.js';
import type { RateLimitRule, ServeSettings } from '../core/serve/settings.js';
import type { Store } from '../store/store.js';
import { DecisionAudit } from './decide/audit-policy.js';
import type { Decision, DecisionInput } from './decide/types.js';
import type { Runtime } from './runtime.js';

export type { CredentialKind, Decision, DecisionInput, DecisionOutcome } from './decide/types.js';
export { DecisionAudit, type DecisionAuditSettings } from './decide/audit-policy.js';

export interface DeciderDeps {
  readonly rt: Runtime;
  /** The caller's long-lived store (opened with `serving: true`); the decider never closes it. */
  readonly store: Store;
  /** The settings in force (they change on a config reload). */
  readonly settings: () => ServeSettings;
  /** A store error, a failed refresh, a failed audit write: for the server's log. Never given a credential. */
  readonly onTrouble?: ((event: string, err: unknown) => void) | undefined;
  /** How often the change feed is polled (ms, default 200: well inside the 1 s promise). */
  readonly pollMs?: number | undefined;
}

export interface Decider {
  decide(input: DecisionInput): Promise<Decision>;
  /** Drops every cache and reads the store again (SIGHUP; the change feed does it by itself). */
  refresh(): Promise<void>;
  /** True while the store answers; false after a failed refresh until one succeeds. */
  healthy(): boolean;
  /** Rate-limit buckets held now, per limit name (for /metrics). */
  buckets(): Record<string, number>;
  /** Active blocks in the index now (for /metrics). */
  activeBlocks(): number;
  /** Writes the pending audit entries and the summary, stops the timers; the store stays open. */
  close(): Promise<void>;
}

/** Verified tokens kept at most (cleared whole beyond it; only tokens that verified are ever kept). */
const MAX_CACHED_TOKENS = 50_000;
/** The keyring is rebuilt at least this often, since key status moves with time (a retiring key stops verifying). */
const RING_MAX_AGE_MS = 60_000;

const WWW_AUTH = 'Bearer realm="agentsec"';
const deny401 = (reason: string): Decision => ({ outcome: 'deny', status: 401, reason, wwwAuthenticate: reason === 'missing-credential' ? WWW_AUTH : `${WWW_AUTH}, error="invalid_token"` });
const deny403 = (reason: string, keyId?: string): Decision => ({ outcome: 'deny', status: 403, reason, ...(keyId !== undefined ? { keyId } : {}) });
const BLOCKED: Decision = Object.freeze({ outcome: 'deny', status: 403, reason: 'blocked' }) as Decision;

interface CachedToken {
  readonly sub: string | null;
  readonly role: string | null;
  readonly scopes: readonly string[];
  readonly expMs: number;
}

interface Identity {
  readonly kind: 'api-key' | 'jwt';
  readonly subject: string | null;
  readonly keyId: string | null;
  readonly role: string | null;
  readonly scopes: readonly string[];
}

/** Opens the decider on a store the caller holds: derives the keys it needs, loads the block index, starts polling. */
export async function openDecider(deps: DeciderDeps): Promise<Decider> {
  const { rt, store } = deps;
  const trouble = deps.onTrouble ?? (() => {});
  const master = await rt.masterKey();
  const hmacKey = deriveSubkey(master, APIKEYS_HMAC_PURPOSE);
  const sealKey = (await store.jwt.hasHmacKey()) ? deriveSubkey(master, JWT_KEYS_PURPOSE) : null;
  master.fill(0);
  const { jwtSettings, verifyRing, checkToken } = await import('./jwt.js');
  const { blocksOn, loadIndex, syncIndex, recordFailure } = await import('./blocks.js');
  const { openAuditLog } = await import('./audit.js');
  const jwt = await jwtSettings(rt);
  const synced = await loadIndex(store.blocks);
  const blocks = await blocksOn(rt, store, {}, synced);
  const auditLog = await openAuditLog(rt, store);
  // The role table of this config: a key's stored role is resolved against it at each decision, and a reload (which
  // opens a new decider) applies an edited table at once. Its change is dated in the audit chain, as by the CLI.
  const { rolesOf, recordRoleTable } = await import('./roles.js');
  const { auditSink } = await import('./audit.js');
  const roles = rolesOf(await rt.config());
  await recordRoleTable(store, await auditSink(rt, store), roles);
  const now = () => rt.clock().getTime();

  const keyCache: VerifyCache = new Map();
  const tokenCache = new Map<string, CachedToken>();
  let ring: VerifyKeyring = await verifyRing({ store, sealKey }, now());
  let ringAt = now();
  let ok = true;
  let failedAt = 0;
  let refreshing: Promise<void> | null = null;
  const ips = new Map<string, IpAddress | null>();

  const lookup: ApiKeyLookup = {
    findByHmac: (h) => store.keys.findByHmac(h),
    touchLastUsed: async (id, at) => {
      try {
        await store.keys.touchLastUsed(id, at);
      } catch {
        // A hint: a busy store makes it wait for the next minute, never fails a request.
      }
    },
  };

  const audit = new DecisionAudit((events) => auditLog.append([...events]).then(() => undefined), deps.settings().audit, now, { ...(cliActor() as object), kind: 'serve' }, (err) => trouble('audit-write-failed', err));
  const batchTimer = setInterval(() => void audit.flush(), 1000);
  batchTimer.unref();

  let limiterFor = new Map<RateLimitRule, GcraLimiter>();
  let limitersOf: ServeSettings | undefined;
  const limiters = (s: ServeSettings): Map<RateLimitRule, GcraLimiter> => {
    if (limitersOf !== s) {
      // A reload starts the buckets again: limits may have changed meaning, and stale debt is no one's to keep.
      limiterFor = new Map(s.rateLimits.map((r) => [r, new GcraLimiter(r.spec, s.maxBuckets)]));
      limitersOf = s;
      audit.configure(s.audit);
    }
    return limiterFor;
  };

  const refresh = (): Promise<void> => {
    if (refreshing) return refreshing;
    refreshing = (async () => {
      try {
        keyCache.clear();
        tokenCache.clear();
        await syncIndex(store.blocks, synced);
        ring = await verifyRing({ store, sealKey }, now());
        ringAt = now();
        ok = true;
      } catch (err) {
        // Fail closed until a refresh succeeds: answering from caches the store can no longer confirm would let a
        // revoked key through.
        ok = false;
        failedAt = now();
        trouble('store-refresh-failed', err);
      } finally {
        refreshing = null;
      }
    })();
    return refreshing;
  };
  const unsubscribe = store.changes.subscribe(() => void refresh(), { intervalMs: deps.pollMs ?? 200 });

  const ipOf = (text: string): IpAddress | null => {
    let ip = ips.get(text);
    if (ip === undefined) {
      ip = parseIp(text) ?? null;
      if (ips.size >= 10_000) ips.clear();
      ips.set(text, ip);
    }
    return ip;
  };

  const feedFailure = async (ip: IpAddress, reason: string): Promise<void> => {
    try {
      await recordFailure(blocks, ip, 'auth', { source: 'serve.auth', reason });
    } catch (err) {
      trouble('failure-record-failed', err);
    }
  };

  async function identify(input: DecisionInput, ip: IpAddress, t: number): Promise<Identity | Decision | null> {
    const cred = readCredential(input.authorization, input.apiKey);
    if (cred.kind === 'none') return null;
    if (cred.kind === 'invalid') {
      await feedFailure(ip, `credential ${cred.reason}`);
      return deny401(cred.reason);
    }
    if (cred.kind === 'api-key') {
      const r = await verifyKey(lookup, hmacKey, cred.value, { ip, scopes: [], now: t, roles: roles.table }, keyCache);
      if (r.code === 'FORBIDDEN_IP') return deny403('key-ip-not-allowed', r.key?.id);
      if (!r.valid || !r.key) {
        await feedFailure(ip, `api key ${r.code}`);
        return deny401(`key-${r.code.toLowerCase().replace(/_/g, '-')}`);
      }
      return { kind: 'api-key', subject: r.key.name, keyId: r.key.id, role: r.key.role, scopes: r.key.permissions };
    }
    const hit = tokenCache.get(cred.value);
    if (hit && hit.expMs + jwt.clockToleranceS * 1000 > t) return { kind: 'jwt', subject: hit.sub, keyId: null, role: hit.role, scopes: hit.scopes };
    if (t - ringAt > RING_MAX_AGE_MS) {
      ring = await verifyRing({ store, sealKey }, t);
      ringAt = t;
    }
    const v = await checkToken({ store }, cred.value, ring, { now: t, kind: 'access', issuer: jwt.issuer, audience: jwt.audience, clockToleranceS: jwt.clockToleranceS });
    if (!v.valid || !v.claims) {
      await feedFailure(ip, `jwt ${v.reason ?? 'invalid'}`);
      return deny401(`jwt-${v.reason ?? 'invalid'}`);
    }
    const c = v.claims;
    const entry: CachedToken = {
      sub: typeof c['sub'] === 'string' ? c['sub'] : null,
      role: typeof c['role'] === 'string' ? c['role'] : null,
      scopes: Object.freeze(grantedPermissions(c)),
      expMs: typeof c['exp'] === 'number' ? c['exp'] * 1000 : t,
    };
    if (tokenCache.size >= MAX_CACHED_TOKENS) tokenCache.clear();
    tokenCache.set(cred.value, entry);
    return { kind: 'jwt', subject: entry.sub, keyId: null, role: entry.role, scopes: entry.scopes };
  }

  async function decide(input: DecisionInput): Promise<Decision> {
    if (refreshing) await refreshing;
    const t = now();
    if (!ok) {
      // Try the store again at most once a second, so it recovers without waiting for a change to be noticed.
      if (t - failedAt >= 1000) {
        failedAt = t;
        void refresh();
      }
      return { outcome: 'unavailable', status: 503, reason: 'store-unavailable' };
    }
    const ip = ipOf(input.clientIp);
    if (!ip) return deny403('bad-client-address');
    if (synced.index.lookup(ip, t)) return BLOCKED;
    const settings = deps.settings();
    const path = normalisePath(input.path);
    if (!path) return deny403('bad-path');
    const method = input.method.toUpperCase();
    const { require, rule } = requirementFor(settings.routes, method, path);
    let who: Identity | null;
    try {
      const r = await identify(input, ip, t);
      if (r !== null && 'outcome' in r) return r;
      who = r;
    } catch (err) {
      trouble('store-error', err);
      return { outcome: 'unavailable', status: 503, reason: 'store-error' };
    }
    if (who === null && require.kind !== 'public') return deny401('missing-credential');
    if (who !== null && require.kind === 'permission' && missingPermissions(who.scopes, [require.permission]).length > 0) return deny403('insufficient-permission', who.keyId ?? undefined);
    for (const [r, limiter] of limiters(settings)) {
      if (r.route !== undefined && !routeMatches(r.route, method, path)) continue;
      const key = r.per === 'ip' ? `ip:${input.clientIp}` : r.per === 'key' ? (who?.keyId ?? null) : who?.subject ?? null;
      if (key === null) continue;
      const v = limiter.take(key, t);
      if (!v.ok) return { outcome: 'limited', status: 429, reason: 'rate-limited', retryAfterS: Math.max(1, Math.ceil(v.retryAfterMs / 1000)), limit: r.name };
    }
    if (who === null) return { outcome: 'allow', status: 200, kind: 'public', subject: null, keyId: null, role: null, scopes: [], route: rule?.text };
    return { outcome: 'allow', status: 200, kind: who.kind, subject: who.subject, keyId: who.keyId, role: who.role, scopes: who.scopes, route: rule?.text };
  }

  return {
    async decide(input) {
      const d = await decide(input);
      audit.note(d, input);
      return d;
    },
    refresh,
    healthy: () => ok,
    buckets: () => Object.fromEntries([...limiters(deps.settings())].map(([r, l]) => [r.name, l.size])),
    activeBlocks: () => synced.index.size,
    async close() {
      unsubscribe();
      clearInterval(batchTimer);
      await audit.flush(true);
      hmacKey.fill(0);
      sealKey?.fill(0);
    },
  };
}
