import type { Runtime } from '../services/runtime.js';
import { usageError } from '../core/errors.js';
import type { JwtReason } from '../core/jwt/algs.js';
import type { VerifyKeyring } from '../core/jwt/verify.js';
import { libraryRuntime } from './runtime.js';
import type { JwtSettings } from '../jwt/open.js';
import type { JwtService } from '../jwt/service.js';

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
  readonly ctx: Runtime;
  readonly svc: JwtService & { close(): void };
  readonly settings: JwtSettings;
  readonly dataVersion: () => number;
  readonly checkToken: typeof import('../jwt/check.js').checkToken;
  ring: VerifyKeyring | null;
  ringVersion: number;
  ringBuiltAt: number;
}

const HOMES = new Map<string, Promise<OpenHome>>();
// A retiring key turns retired with time alone, without a commit: the ring is rebuilt at least this often.
const RING_MAX_AGE_MS = 60_000;

async function openHome(home: string | undefined): Promise<OpenHome> {
  const ctx = libraryRuntime(home);
  const { jwtSettings, openJwt } = await import('../jwt/open.js');
  const settings = await jwtSettings(ctx);
  const svc = await openJwt(ctx, { audit: true });
  const versionStmt = svc.db.prepare('PRAGMA data_version').pluck();
  const { checkToken } = await import('../jwt/check.js');
  return { ctx, svc, settings, checkToken, dataVersion: () => versionStmt.get() as number, ring: null, ringVersion: -1, ringBuiltAt: 0 };
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

function ringFor(h: OpenHome, now: number): VerifyKeyring {
  const version = h.dataVersion();
  if (!h.ring || version !== h.ringVersion || Math.abs(now - h.ringBuiltAt) > RING_MAX_AGE_MS) {
    h.ring = h.svc.verifyRing(now);
    h.ringVersion = version;
    h.ringBuiltAt = now;
  }
  return h.ring;
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
  const v = await h.checkToken(token, ringFor(h, now), h.svc.repo, {
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
  const { validateIssue } = await import('../jwt/issue-spec.js');
  const spec = validateIssue(
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
  const issued = await h.svc.issue(spec, (opts.now ?? new Date()).getTime());
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
      (await p).svc.close();
    } catch {
      /* never opened */
    }
  }
}
