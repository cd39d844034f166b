import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import { ExitCode, usageError } from '../../core/errors.js';

export interface RevokeOptions {
  jti?: string;
  sub?: string;
}

/** Denies one token (by jti) or every token issued so far to a subject, until they would have expired anyway. */
export async function runRevoke(ctx: Ctx, opts: RevokeOptions): Promise<number> {
  if ((opts.jti === undefined) === (opts.sub === undefined)) throw usageError('give exactly one of --jti ID or --sub SUB');
  const kind = opts.jti !== undefined ? 'jti' : 'sub';
  const value = (opts.jti ?? opts.sub) as string;
  if (value === '' || value.length > 512 || /[\u0000-\u001f]/.test(value)) throw usageError(`--${kind}: give 1-512 printable characters`);
  const { openJwt, revokeTokens } = await import('../../services/jwt.js');
  const svc = await openJwt(ctx, { needKey: false, audit: true });
  try {
    const { until } = await revokeTokens(svc, kind, value, ctx.clock().getTime());
    const untilIso = new Date(until).toISOString();
    if (ctx.out.json) ctx.out.document({ kind, value, revokedUntil: untilIso });
    else ctx.out.line(`${kind}\t${value}\t${untilIso}`);
    ctx.out.success(kind === 'jti' ? `token ${value} revoked` : `every token issued so far to ${value} revoked`);
  } finally {
    await svc.close();
  }
  return ExitCode.Ok;
}

export function registerRevoke(parent: Command, app: App): void {
  const cmd = parent
    .command('revoke')
    .description('deny a token by --jti, or every token issued so far to --sub; kept until they would have expired')
    .option('--jti <id>', 'the token id')
    .option('--sub <sub>', 'the subject')
    .action(action(app, runRevoke));
  examples(cmd, ['agentsec jwt revoke --jti "$JTI"', 'agentsec jwt revoke --sub alice']);
}
