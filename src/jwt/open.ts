import type { Runtime } from '../services/runtime.js';
import { deriveSubkey } from '../core/crypto/seal.js';
import { parseDuration } from '../core/duration.js';
import { usageError } from '../core/errors.js';
import { DEFAULT_ACCESS_TTL_MS, DEFAULT_CLOCK_TOLERANCE_S, DEFAULT_REFRESH_TTL_MS, MAX_ACCESS_TTL_MS, MAX_REFRESH_TTL_MS } from '../core/jwt/algs.js';
import { JWT_KEYS_PURPOSE } from '../core/jwt/key-material.js';
import type { JwtService } from './service.js';

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
export async function jwtSettings(ctx: Runtime): Promise<JwtSettings> {
  const c = (await ctx.config()).jwt ?? {};
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

/**
 * Opens the store with the JWT service. `needKey` derives the sealing subkey from the master key (to sign, to store a
 * key, to verify HS256); `audit` prepares the recorder before any transaction. The caller closes it in `finally`.
 */
export async function openJwt(ctx: Runtime, opts: { needKey?: boolean | 'if-hmac'; audit?: boolean } = {}): Promise<JwtService & { close(): void }> {
  const db = await ctx.openStore();
  let sealKey: Buffer | null = null;
  try {
    const needKey = opts.needKey ?? true;
    // Verifying asymmetric tokens needs only public keys: a passphrase home is not asked for its passphrase then.
    const wanted = needKey === 'if-hmac' ? db.prepare("SELECT 1 FROM jwt_keys WHERE alg = 'HS256' LIMIT 1").get() !== undefined : needKey;
    if (wanted) {
      const master = await ctx.masterKey();
      sealKey = deriveSubkey(master, JWT_KEYS_PURPOSE);
      master.fill(0);
    }
    const { JwtRepo } = await import('../store/jwt-repo.js');
    const { JwtService } = await import('./service.js');
    let recorder = null;
    if (opts.audit ?? false) {
      const { auditRecorder } = await import('../audit/open.js');
      recorder = await auditRecorder(ctx, db);
    }
    const svc = new JwtService(db, new JwtRepo(db), sealKey, recorder, ctx.random);
    const key = sealKey;
    return Object.assign(svc, {
      close: () => {
        key?.fill(0);
        db.close();
      },
    });
  } catch (err) {
    sealKey?.fill(0);
    db.close();
    throw err;
  }
}
