/** The `jwt:` section of config.yaml, checked against the house bounds, with the defaults filled in. */
import { parseDuration } from '../../core/duration.js';
import { usageError } from '../../core/errors.js';
import { DEFAULT_ACCESS_TTL_MS, DEFAULT_CLOCK_TOLERANCE_S, DEFAULT_REFRESH_TTL_MS, MAX_ACCESS_TTL_MS, MAX_REFRESH_TTL_MS } from '../../core/jwt/algs.js';
import type { Runtime } from '../runtime.js';

export interface JwtSettings {
  readonly issuer: string | undefined;
  readonly audience: readonly string[];
  readonly accessTtlMs: number;
  readonly refreshTtlMs: number;
  readonly clockToleranceS: number;
}

/** Checks a token lifetime against the house bounds; `what` names the flag or config key. */
export function checkTtl(ms: number, max: number, what: string): number {
  if (ms < 1000) throw usageError(`${what} must be at least 1s`);
  if (ms > max) throw usageError(`${what} is longer than the allowed ${max / 3_600_000}h: use a shorter lifetime (and refresh tokens)`);
  return ms;
}

/** The `jwt:` section of config.yaml with the defaults filled in. */
export async function jwtSettings(rt: Runtime): Promise<JwtSettings> {
  const c = (await rt.config()).jwt ?? {};
  const aud = c.audience === undefined ? [] : typeof c.audience === 'string' ? [c.audience] : c.audience;
  const tolMs = c.clockTolerance ? parseDuration(c.clockTolerance, 'config jwt.clockTolerance') : DEFAULT_CLOCK_TOLERANCE_S * 1000;
  if (tolMs > 300_000) throw usageError('config jwt.clockTolerance must be at most 5m');
  return {
    issuer: c.issuer,
    audience: aud,
    accessTtlMs: c.accessTtl ? checkTtl(parseDuration(c.accessTtl, 'config jwt.accessTtl'), MAX_ACCESS_TTL_MS, 'config jwt.accessTtl') : DEFAULT_ACCESS_TTL_MS,
    refreshTtlMs: c.refreshTtl ? checkTtl(parseDuration(c.refreshTtl, 'config jwt.refreshTtl'), MAX_REFRESH_TTL_MS, 'config jwt.refreshTtl') : DEFAULT_REFRESH_TTL_MS,
    clockToleranceS: Math.floor(tolMs / 1000),
  };
}
