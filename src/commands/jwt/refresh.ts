import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import { ExitCode } from '../../core/errors.js';
import { printIssued } from './issue.js';
import { JWT_TOKEN_ENV, readToken } from './input.js';

export interface RefreshOptions {
  tokenFile?: string;
}

/**
 * Exchanges a refresh token for a new access and refresh token and invalidates the old one. A refresh token seen a
 * second time means it was stolen or replayed: the whole family is revoked and the answer is exit 1.
 */
export async function runRefresh(ctx: Ctx, opts: RefreshOptions): Promise<number> {
  const { token } = await readToken(ctx, opts.tokenFile);
  const { jwtSettings, openJwt, checkToken, verifyRing, rotateRefresh } = await import('../../services/jwt.js');
  const settings = await jwtSettings(ctx);
  const svc = await openJwt(ctx, { audit: true });
  try {
    const now = ctx.clock().getTime();
    const verdict = await checkToken(svc, token, await verifyRing(svc, now), {
      now,
      kind: 'refresh',
      issuer: settings.issuer,
      audience: settings.audience,
      clockToleranceS: settings.clockToleranceS,
    });
    if (!verdict.valid || !verdict.claims) {
      if (ctx.out.json) ctx.out.document({ valid: false, reason: verdict.reason ?? 'invalid' });
      else ctx.out.line(verdict.reason ?? 'invalid');
      return ExitCode.Negative;
    }
    const result = await rotateRefresh(svc, verdict.claims, { accessTtlMs: settings.accessTtlMs, refreshTtlMs: settings.refreshTtlMs }, now);
    if (!result.ok && result.reason === 'revoked') {
      // Revoked after the check above (a revoke --sub or --jti that committed meanwhile): no new pair.
      if (ctx.out.json) ctx.out.document({ valid: false, reason: 'revoked' });
      else ctx.out.line('revoked');
      return ExitCode.Negative;
    }
    if (!result.ok) {
      if (ctx.out.json) ctx.out.document({ valid: false, reason: 'reused' });
      else ctx.out.line('reused');
      ctx.out.warn('this refresh token was already used: every token of its family is now revoked (sign in again)');
      return ExitCode.Negative;
    }
    printIssued(ctx, result.issued);
    ctx.out.success('issued a new access and refresh token; the old refresh token no longer works');
  } finally {
    await svc.close();
  }
  return ExitCode.Ok;
}

export function registerRefresh(parent: Command, app: App): void {
  const cmd = parent
    .command('refresh')
    .description(`exchange a refresh token (stdin, --token-file or ${JWT_TOKEN_ENV}) for a new pair; reuse revokes the whole family`)
    .option('--token-file <file>', 'read the refresh token from this file instead of stdin')
    .action(action(app, runRefresh));
  examples(cmd, ['printf %s "$REFRESH" | agentsec jwt refresh --json']);
}
