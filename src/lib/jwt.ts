import { usageError } from '../core/errors.js';
import type { JwtReason } from '../core/jwt/algs.js';
import type { JwtVerdict } from '../core/jwt/verify.js';
import type { JwtService, JwtSettings, TokenVerifier } from '../services/jwt.js';
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

/**
 * What {@link verifyJwt} answers; the same members as `agentsec jwt verify --json` (without its `schemaVersion`).
 * `if (r.valid)` narrows: the claims are there exactly when the token verified.
 */
export type VerifyJwtResult =
  | {
      readonly valid: true;
      readonly claims: Readonly<Record<string, unknown>>;
      readonly header: Readonly<Record<string, unknown>>;
      /** The key that verified it (an IdP's kid, or agentsec's label for a shared secret). */
      readonly kid: string;
      /** Set when an external issuer's key verified it (`jwt trust`, `jwt keygen --external`): its name. */
      readonly issuer?: string;
      readonly reason?: never;
      readonly missingScopes?: never;
    }
  | {
      readonly valid: false;
      readonly reason: JwtReason;
      readonly kid?: string;
      /** With `insufficient-scope`: the permissions the token lacks. */
      readonly missingScopes?: readonly string[];
      readonly claims?: never;
      readonly header?: never;
    };

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
  readonly verifier: TokenVerifier;
}

const HOMES = new Map<string, Promise<OpenHome>>();

async function openHome(home: string | undefined): Promise<OpenHome> {
  const rt = libraryRuntime(home);
  const jwt = await import('../services/jwt.js');
  const settings = await jwt.jwtSettings(rt);
  const svc = await jwt.openJwt(rt, { audit: true });
  return { svc, settings, jwt, verifier: jwt.tokenVerifier(svc) };
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

// One frozen answer per cached verdict: a repeated token costs no new object.
const results = new WeakMap<JwtVerdict, VerifyJwtResult>();

function resultOf(v: JwtVerdict): VerifyJwtResult {
  let r = results.get(v);
  if (r) return r;
  r = v.valid
    ? // The verdict's claims are this module's own (decoded for this token): frozen in place, not copied. Headers
      // come frozen and shared from the decoder.
      Object.freeze({ valid: true as const, claims: Object.freeze(v.claims ?? {}), header: Object.freeze(v.header ?? {}), kid: v.kid as string, ...(v.issuer !== undefined ? { issuer: v.issuer } : {}) })
    : Object.freeze({ valid: false as const, reason: v.reason ?? 'malformed', ...(v.kid !== undefined ? { kid: v.kid } : {}), ...(v.missingScopes ? { missingScopes: Object.freeze([...v.missingScopes]) } : {}) });
  results.set(v, r);
  return r;
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
  const v = await h.verifier.verify(token, {
    now: opts.now === undefined ? Date.now() : opts.now.getTime(),
    kind: opts.refresh === true ? 'refresh' : 'access',
    issuer: opts.issuer ?? h.settings.issuer,
    audience: opts.audience === undefined ? h.settings.audience : typeof opts.audience === 'string' ? [opts.audience] : opts.audience,
    clockToleranceS: h.settings.clockToleranceS,
    maxAgeS: opts.maxAgeSeconds,
    scopes: opts.scopes,
  });
  return resultOf(v);
}

export interface RevokeJwtOptions {
  readonly home?: string | undefined;
  readonly now?: Date | undefined;
}

/** What a revocation did: the entry stays on the denylist until `until` (when such tokens would have expired). */
export interface RevokeJwtResult {
  readonly until: Date;
}

/**
 * Revokes one token by its `jti` (a refresh token takes its whole family with it), as `agentsec jwt revoke --jti`
 * does, audited. verifyJwt in this process refuses it from the next call; other processes within a millisecond of
 * their next call (the store's change feed).
 */
export async function revokeJwt(jti: string, opts: RevokeJwtOptions = {}): Promise<RevokeJwtResult> {
  return revoke('jti', jti, 'revokeJwt', opts);
}

/** Revokes every token issued to `sub` so far (tokens issued afterwards verify), as `agentsec jwt revoke --sub`. */
export async function revokeSubject(sub: string, opts: RevokeJwtOptions = {}): Promise<RevokeJwtResult> {
  return revoke('sub', sub, 'revokeSubject', opts);
}

const REVOKE_VALUE = /^[^\u0000-\u001f\u007f]{1,512}$/;

async function revoke(kind: 'jti' | 'sub', value: string, fn: string, opts: RevokeJwtOptions): Promise<RevokeJwtResult> {
  if (typeof value !== 'string' || !REVOKE_VALUE.test(value)) throw usageError(`${fn}: ${kind} must be 1-512 printable characters`);
  const h = await homeEntry(opts.home);
  try {
    const { until } = await h.jwt.revokeTokens(h.svc, kind, value, (opts.now ?? new Date()).getTime());
    return { until: new Date(until) };
  } finally {
    // Even when the commit's outcome is unknown: re-reading the denylist is cheap, answering from a stale one is not.
    h.verifier.invalidate();
  }
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
