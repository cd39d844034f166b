import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import { ExitCode } from '../../core/errors.js';
import { JWT_TOKEN_ENV, readToken } from './input.js';

export interface DecodeOptions {
  tokenFile?: string;
}

/** Prints header and claims WITHOUT verifying: for debugging only, under a warning on stderr. */
export async function runDecode(ctx: Ctx, opts: DecodeOptions): Promise<number> {
  const { token } = await readToken(ctx, opts.tokenFile);
  const { parseTokenShape } = await import('../../core/jwt/token-shape.js');
  const shape = parseTokenShape(token);
  if (!shape.ok || shape.claims === null) {
    if (ctx.out.json) ctx.out.document({ verified: false, valid: false, reason: 'malformed' });
    else ctx.out.line('malformed');
    return ExitCode.Negative;
  }
  ctx.out.warn('not verified: the signature, expiry, issuer and audience were NOT checked; use agentsec jwt verify before trusting any of this');
  if (ctx.out.json) ctx.out.document({ verified: false, header: shape.header, claims: shape.claims });
  else ctx.out.line(JSON.stringify({ header: shape.header, claims: shape.claims }, null, 2));
  return ExitCode.Ok;
}

export function registerDecode(parent: Command, app: App): void {
  const cmd = parent
    .command('decode')
    .description(`print a token's header and claims WITHOUT verifying them (stdin, --token-file or ${JWT_TOKEN_ENV})`)
    .option('--token-file <file>', 'read the token from this file instead of stdin')
    .action(action(app, runDecode));
  examples(cmd, ['printf %s "$TOKEN" | agentsec jwt decode']);
}
