import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import { ExitCode, usageError } from '../../core/errors.js';
import type { JwtVerdict } from '../../core/jwt/verify.js';
import { collect, JWT_TOKEN_ENV, readToken } from './input.js';

export interface VerifyOptions {
  aud?: string[];
  iss?: string;
  scope?: string[];
  maxAge?: string;
  refresh?: boolean;
  tokenFile?: string;
}

export function printVerdict(ctx: Ctx, v: JwtVerdict): void {
  if (ctx.out.json) {
    ctx.out.document({ valid: v.valid, ...(v.reason ? { reason: v.reason } : {}), ...(v.kid ? { kid: v.kid } : {}), ...(v.issuer ? { issuer: v.issuer } : {}), ...(v.valid ? { header: v.header, claims: v.claims } : {}), ...(v.missingScopes ? { missingScopes: v.missingScopes } : {}) });
    return;
  }
  if (v.valid) {
    ctx.out.line('valid');
    ctx.out.line(JSON.stringify(v.claims));
  } else {
    ctx.out.line(v.reason ?? 'invalid');
    if (v.missingScopes) ctx.out.info(`missing permissions: ${v.missingScopes.join(', ')}`);
  }
}

/**
 * Verifies a token from stdin/--token-file/AGENTSEC_JWT. Exit 0 valid, 1 invalid (with the reason); the algorithm
 * comes from the keyring, iss/aud are checked whenever given or configured.
 */
export async function runVerify(ctx: Ctx, opts: VerifyOptions): Promise<number> {
  const { jwtSettings } = await import('../../services/jwt.js');
  const { parseDuration } = await import('../../core/duration.js');
  const { SCOPE_PATTERN } = await import('../../core/apikeys/permissions.js');
  const settings = await jwtSettings(ctx);
  for (const s of opts.scope ?? []) if (!SCOPE_PATTERN.test(s)) throw usageError(`--scope: '${s.slice(0, 64)}' is not resource:action`);
  const maxAgeS = opts.maxAge !== undefined ? Math.floor(parseDuration(opts.maxAge, '--max-age') / 1000) : undefined;
  const { token } = await readToken(ctx, opts.tokenFile);
  const { parseTokenShape } = await import('../../core/jwt/token-shape.js');
  let verdict: JwtVerdict;
  if (!parseTokenShape(token).ok) {
    // A token that is not even a JWT is answered without opening the store or the master key.
    verdict = { valid: false, reason: 'malformed' };
  } else {
    const { openJwt, checkToken, verifyRing } = await import('../../services/jwt.js');
    const svc = await openJwt(ctx, { needKey: 'if-hmac' });
    try {
      const now = ctx.clock().getTime();
      verdict = await checkToken(svc, token, await verifyRing(svc, now), {
        now,
        kind: opts.refresh === true ? 'refresh' : 'access',
        issuer: opts.iss ?? settings.issuer,
        audience: opts.aud ?? settings.audience,
        clockToleranceS: settings.clockToleranceS,
        maxAgeS,
        scopes: opts.scope,
      });
    } finally {
      await svc.close();
    }
  }
  printVerdict(ctx, verdict);
  return verdict.valid ? ExitCode.Ok : ExitCode.Negative;
}

export function registerVerify(parent: Command, app: App): void {
  const cmd = parent
    .command('verify')
    .description(`verify a token (stdin, --token-file, ${JWT_TOKEN_ENV} or a masked prompt on a TTY): prints valid and the claims, or the reason (expired, bad-signature, wrong-audience, alg-not-allowed, revoked …)`)
    .option('--aud <aud>', 'an accepted audience (repeatable; default jwt.audience from config.yaml)', collect)
    .option('--iss <iss>', 'the required issuer (default jwt.issuer from config.yaml)')
    .option('--scope <perm>', 'a permission the token must grant (repeatable)', collect)
    .option('--max-age <duration>', 'refuse tokens issued longer ago than this')
    .option('--refresh', 'expect a refresh token instead of an access token')
    .option('--token-file <file>', 'read the token from this file instead of stdin')
    .action(action(app, runVerify));
  examples(cmd, [
    'printf %s "$TOKEN" | agentsec jwt verify --aud api.example.com --scope memory:read',
    'agentsec jwt verify --token-file ./token --json | jq .claims.sub',
  ]);
}
