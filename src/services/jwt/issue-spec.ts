/** What `jwt issue` and the library's issueJwt ask for, validated into an {@link IssueSpec} before the store is touched. */
import { isRole, SCOPE_PATTERN } from '../../core/apikeys/permissions.js';
import { parseDuration } from '../../core/duration.js';
import { usageError } from '../../core/errors.js';
import { MAX_ACCESS_TTL_MS, MAX_REFRESH_TTL_MS, RESERVED_CLAIMS } from '../../core/jwt/algs.js';
import type { TokenClaims } from '../../core/jwt/sign.js';
import { checkTtl, type JwtSettings } from './settings.js';

export interface IssueSpec {
  readonly claims: TokenClaims;
  readonly accessTtlMs: number;
  /** When set, a refresh token is issued too (a new family unless `claims.fam` continues one). */
  readonly refreshTtlMs?: number | undefined;
}

/** The `jwt issue` flags (also what issueJwt maps its arguments to). */
export interface IssueOptions {
  sub?: string;
  aud?: string[];
  iss?: string;
  scope?: string[];
  role?: string;
  ttl?: string;
  claim?: string[];
  refresh?: boolean;
  refreshTtl?: string;
}

const CLAIM_NAME = /^[A-Za-z_][A-Za-z0-9_.:-]{0,63}$/;
const TEXT_CLAIM = /^[^\u0000-\u001f\u007f]{1,512}$/;

function text(value: string, flag: string): string {
  if (!TEXT_CLAIM.test(value)) throw usageError(`${flag}: give 1-512 printable characters`);
  return value;
}

/** Validates every issue flag before the store is touched, so bad input changes nothing. */
export function validateIssue(opts: IssueOptions, settings: JwtSettings): IssueSpec {
  if (opts.sub === undefined) throw usageError('--sub is required: the subject the token is for');
  const sub = text(opts.sub, '--sub');
  const aud = (opts.aud ?? [...settings.audience]).map((a) => text(a, '--aud'));
  const iss = opts.iss !== undefined ? text(opts.iss, '--iss') : settings.issuer;
  const scope = [...new Set(opts.scope ?? [])];
  for (const s of scope) if (!SCOPE_PATTERN.test(s)) throw usageError(`--scope: '${s.slice(0, 64)}' is not resource:action (e.g. memory:read, memory:*)`);
  if (opts.role !== undefined && !isRole(opts.role)) throw usageError(`--role: '${opts.role.slice(0, 32)}' is not viewer, operator, admin or owner`);
  const extra: Record<string, string> = {};
  for (const c of opts.claim ?? []) {
    const eq = c.indexOf('=');
    const name = eq > 0 ? c.slice(0, eq) : '';
    if (!CLAIM_NAME.test(name)) throw usageError(`--claim: '${c.slice(0, 64)}' is not key=value with a simple key`);
    if (RESERVED_CLAIMS.has(name)) throw usageError(`--claim: '${name}' is set by agentsec: use the matching flag instead`);
    extra[name] = text(c.slice(eq + 1), `--claim ${name}`);
  }
  const accessTtlMs = opts.ttl !== undefined ? checkTtl(parseDuration(opts.ttl, '--ttl'), MAX_ACCESS_TTL_MS, '--ttl') : settings.accessTtlMs;
  if (opts.refreshTtl !== undefined && opts.refresh !== true) throw usageError('--refresh-ttl needs --refresh');
  const refreshTtlMs = opts.refresh === true
    ? opts.refreshTtl !== undefined ? checkTtl(parseDuration(opts.refreshTtl, '--refresh-ttl'), MAX_REFRESH_TTL_MS, '--refresh-ttl') : settings.refreshTtlMs
    : undefined;
  if (refreshTtlMs !== undefined && refreshTtlMs <= accessTtlMs) throw usageError('--refresh-ttl must be longer than the access-token --ttl');
  return {
    claims: { sub, iss, aud, scope, role: opts.role, extra },
    accessTtlMs,
    ...(refreshTtlMs !== undefined ? { refreshTtlMs } : {}),
  };
}
