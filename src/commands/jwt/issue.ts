import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import { ExitCode } from '../../core/errors.js';
import type { IssueOptions, Issued } from '../../services/jwt.js';

export type { IssueOptions };
import { collect } from './input.js';


/** What issue and refresh print: the tokens once on stdout, plus their metadata under --json. */
export function printIssued(ctx: Ctx, issued: Issued): void {
  const a = issued.access;
  if (ctx.out.json) {
    ctx.out.document({
      tokenType: 'Bearer',
      accessToken: a.token,
      expiresIn: a.exp - a.iat,
      expiresAt: new Date(a.exp * 1000).toISOString(),
      jti: a.jti,
      kid: issued.kid,
      ...(issued.refresh
        ? { refreshToken: issued.refresh.token, refreshJti: issued.refresh.jti, refreshExpiresAt: new Date(issued.refresh.exp * 1000).toISOString() }
        : {}),
    });
    return;
  }
  ctx.out.line(a.token);
  if (issued.refresh) ctx.out.line(issued.refresh.token);
}

/** Issues an access token (and with --refresh a refresh token) signed by the newest active key. */
export async function runIssue(ctx: Ctx, opts: IssueOptions): Promise<number> {
  const { validateIssue, jwtSettings, openJwt, issueTokens } = await import('../../services/jwt.js');
  const spec = validateIssue(opts, await jwtSettings(ctx));
  const svc = await openJwt(ctx, { audit: true });
  try {
    const issued = await issueTokens(svc, spec, ctx.clock().getTime());
    printIssued(ctx, issued);
    ctx.out.success(`issued ${issued.refresh ? 'access and refresh tokens' : 'an access token'} for ${spec.claims.sub} (kid ${issued.kid}, jti ${issued.access.jti})`);
  } finally {
    await svc.close();
  }
  return ExitCode.Ok;
}

export function registerIssue(parent: Command, app: App): void {
  const cmd = parent
    .command('issue')
    .description('issue an access token (typ at+jwt, exp/iat/nbf/jti); with --refresh also a refresh token')
    .option('--sub <sub>', 'the subject (required)')
    .option('--aud <aud>', 'an audience (repeatable; default jwt.audience from config.yaml)', collect)
    .option('--iss <iss>', 'the issuer (default jwt.issuer from config.yaml)')
    .option('--scope <perm>', 'a permission resource:action, * allowed (repeatable)', collect)
    .option('--role <role>', 'viewer, operator, admin or owner')
    .option('--ttl <duration>', 'access-token lifetime (default 15m, at most 24h)')
    .option('--claim <key=value>', 'an extra string claim (repeatable; registered claims refused)', collect)
    .option('--refresh', 'also issue a refresh token (recorded in the store)')
    .option('--refresh-ttl <duration>', 'refresh-token lifetime (default 7d, at most 90d)')
    .action(action(app, runIssue));
  examples(cmd, [
    'agentsec jwt issue --sub agent-7 --aud api.example.com --scope memory:read',
    'agentsec jwt issue --sub alice --role operator --refresh --json',
    'agentsec jwt issue --sub svc-billing --ttl 5m --claim tenant=acme',
  ]);
}
