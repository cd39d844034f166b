import { usageError } from '../core/errors.js';
import type { JwtReason } from '../core/jwt/algs.js';
import type { VerifyKeyring } from '../core/jwt/verify.js';
import type { JwtService, JwtSettings } from '../services/jwt.js';
import { libraryRuntime } from './runtime.js';

export interface VerifyJwtOptions {
  /** Accepted audiences (default: jwt.audience from config.yaml). */
  readonly audience?: string | readonly string[] | undefined;
  /** Required issuer (default: jwt.issuer from config.yaml). */
  readonly issuer?: string | undefined;
  /** Permissions the token must grant (`memory:read`). */
  readonly scopes?: readonly string[] | undefined;
  /** Expect a refresh token instead of an access token. */
  readonly refresh?: boolean | undefined;
  /** Refuse tokens issued more than this many seconds ago. */
  readonly maxAgeSeconds?: number | undefined;
  readonly home?: string | undefined;
  /** Clock override (tests). */
  readonly now?: Date | undefined;
}

export interface VerifyJwtResult {
  readonly valid: boolean;
  readonly reason?: JwtReason;
  readonly claims?: Record<string, unknown>;
  readonly header?: Record<string, unknown>;
  readonly missingScopes?: string[];
}

export interface IssueJwtClaims {
  readonly sub: string;
  readonly aud?: string | readonly string[] | undefined;
  readonly iss?: string | undefined;
  readonly scope?: readonly string[] | undefined;
  readonly role?: string | undefined;
  /** Extra string claims; registered names are refused. */
  readonly claims?: Readonly<Record<string, string>> | undefined;
}

export interface IssueJwtOptions {
  /** Access-token lifetime such as `15m` (default jwt.accessTtl from config.yaml, else 15m). */
  readonly ttl?: string | undefined;
  /** Also issue a refresh token. */
  readonly refresh?: boolean | undefined;
  readonly refreshTtl?: string | undefined;
  readonly home?: string | undefined;
  readonly now?: Date | undefined;
}

export interface IssueJwtResult {
  readonly accessToken: string;
  readonly refreshToken?: string;
  readonly jti: string;
  readonly kid: string;
  readonly expiresAt: Date;
}

interface OpenHome {
  readonly svc: JwtService;
  readonly settings: JwtSettings;
  readonly jwt: typeof import('../services/jwt.js');
  ring: VerifyKeyring | null;
  /** The store's change-feed version the ring was built at: any commit by anyone (a keygen, a retirement) moves it. */
  ringVersion: number;
  ringBuiltAt: number;
}

const HOMES = new Map<string, Promise<OpenHome>>();
// A retiring key turns retired with time alone, without a commit: the ring is rebuilt at least this often.
const RING_MAX_AGE_MS = 60_000;

async function openHome(home: string | undefined): Promise<OpenHome> {
  const rt = libraryRuntime(home);
  const jwt = await import('../services/jwt.js');
  const settings = await jwt.jwtSettings(rt);
  const svc = await jwt.openJwt(rt, { audit: true });
  return { svc, settings, jwt, ring: null, ringVersion: -1, ringBuiltAt: 0 };
}

function homeEntry(home: string | undefined): Promise<OpenHome> {
  const key = home ?? '';
  let pending = HOMES.get(key);
  if (!pending) {
    pending = openHome(home);
    HOMES.set(key, pending);
    pending.catch(() => HOMES.delete(key));
  }
  return pending;
}

/** The cached ring when it is still current; else null, and the caller rebuilds it. Synchronous: the hot path. */
function currentRing(h: OpenHome, now: number): VerifyKeyring | null {
  if (!h.ring || h.svc.store.changes.version() !== h.ringVersion || Math.abs(now - h.ringBuiltAt) > RING_MAX_AGE_MS) return null;
  return h.ring;
}

async function rebuildRing(h: OpenHome, now: number): Promise<VerifyKeyring> {
  // The version is read before the keys: a commit in between moves it again, and the next call rebuilds once more.
  const version = h.svc.store.changes.version();
  const ring = await h.jwt.verifyRing(h.svc, now);
  h.ring = ring;
  h.ringVersion = version;
  h.ringBuiltAt = now;
  return ring;
}

const asList = (v: string | readonly string[] | undefined): string[] | undefined => (v === undefined ? undefined : typeof v === 'string' ? [v] : [...v]);

/**
 * Verifies a JWT the way `agentsec jwt verify` does (same reasons, same strictness), against the keyring and
 * denylist of the home. The keyring is loaded once and reloaded as soon as another process commits a change (a
 * keygen, a retirement). Never throws for a bad token: `{ valid: false, reason }`.
 */
export async function verifyJwt(token: string, opts: VerifyJwtOptions = {}): Promise<VerifyJwtResult> {
  if (typeof token !== 'string') return { valid: false, reason: 'malformed' };
  const h = await homeEntry(opts.home);
  const now = (opts.now ?? new Date()).getTime();
  const ring = currentRing(h, now) ?? (await rebuildRing(h, now));
  const v = await h.jwt.checkToken(h.svc, token, ring, {
    now,
    kind: opts.refresh === true ? 'refresh' : 'access',
    issuer: opts.issuer ?? h.settings.issuer,
    audience: asList(opts.audience) ?? h.settings.audience,
    clockToleranceS: h.settings.clockToleranceS,
    maxAgeS: opts.maxAgeSeconds,
    scopes: opts.scopes,
  });
  return {
    valid: v.valid,
    ...(v.reason ? { reason: v.reason } : {}),
    ...(v.valid ? { claims: v.claims as Record<string, unknown>, header: v.header as Record<string, unknown> } : {}),
    ...(v.missingScopes ? { missingScopes: v.missingScopes } : {}),
  };
}

/**
 * Issues an access token (and optionally a refresh token) signed by the newest active key of the home, recorded in
 * its store and audit chain like `agentsec jwt issue`. Throws an AgentsecError for invalid claims or options.
 */
export async function issueJwt(claims: IssueJwtClaims, opts: IssueJwtOptions = {}): Promise<IssueJwtResult> {
  if (!claims || typeof claims.sub !== 'string') throw usageError('issueJwt: claims.sub is required');
  const h = await homeEntry(opts.home);
  const spec = h.jwt.validateIssue(
    {
      sub: claims.sub,
      ...(claims.aud !== undefined ? { aud: asList(claims.aud) as string[] } : {}),
      ...(claims.iss !== undefined ? { iss: claims.iss } : {}),
      ...(claims.scope !== undefined ? { scope: [...claims.scope] } : {}),
      ...(claims.role !== undefined ? { role: claims.role } : {}),
      claim: Object.entries(claims.claims ?? {}).map(([k, v]) => `${k}=${v}`),
      ...(opts.ttl !== undefined ? { ttl: opts.ttl } : {}),
      ...(opts.refresh === true ? { refresh: true } : {}),
      ...(opts.refreshTtl !== undefined ? { refreshTtl: opts.refreshTtl } : {}),
    },
    h.settings,
  );
  const issued = await h.jwt.issueTokens(h.svc, spec, (opts.now ?? new Date()).getTime());
  return {
    accessToken: issued.access.token,
    ...(issued.refresh ? { refreshToken: issued.refresh.token } : {}),
    jti: issued.access.jti,
    kid: issued.kid,
    expiresAt: new Date(issued.access.exp * 1000),
  };
}

/** Closes the stores opened by {@link verifyJwt} / {@link issueJwt} and wipes their keys. */
export async function closeJwtStores(): Promise<void> {
  const all = [...HOMES.values()];
  HOMES.clear();
  for (const p of all) {
    try {
      await (await p).svc.close();
    } catch {
      /* never opened */
    }
  }
}
