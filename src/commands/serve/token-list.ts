import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import { ExitCode } from '../../core/errors.js';
import { credentialDisplay } from '../../core/serve/credentials.js';
import type { CredentialRecord } from '../../store/serve-credentials.js';
import { credentialView, iso } from './credential-view.js';

export interface TokenListOptions {
  all?: boolean;
}

/** Lists app tokens: active ones, or revoked ones too with --all. Never a token, never its hash. */
export async function runTokenList(ctx: Ctx, opts: TokenListOptions): Promise<number> {
  const { openCredentials, listCredentials } = await import('../../services/serve-credentials.js');
  const creds = await openCredentials(ctx);
  try {
    const records = await listCredentials(creds, 'app', { all: opts.all === true });
    if (ctx.out.json) {
      ctx.out.document({ tokens: records.map(credentialView) });
      return ExitCode.Ok;
    }
    const c = ctx.out.chalk;
    ctx.out.table<CredentialRecord>(
      [
        { header: 'NAME', value: (r) => r.name, keep: true },
        { header: 'TOKEN', value: (r) => credentialDisplay('app', r.last4), keep: true },
        { header: 'SCOPES', value: (r) => r.scopes.join(',') },
        { header: 'STATUS', value: (r) => (r.revokedAt === null ? 'active' : 'revoked'), style: (t) => (t === 'active' ? c.green(t) : c.red(t)), keep: true },
        { header: 'CREATED', value: (r) => iso(r.createdAt) ?? '-', drop: 1 },
        { header: 'LAST USED', value: (r) => iso(r.lastUsedAt) ?? '-', drop: 2 },
      ],
      records,
    );
    if (records.length === 0) ctx.out.info(opts.all ? 'no app tokens' : 'no active app tokens (see --all)');
  } finally {
    await creds.close();
  }
  return ExitCode.Ok;
}

export function registerTokenList(parent: Command, app: App): void {
  const cmd = parent.command('list').description('list app tokens (revoked ones too with --all); never shows a token').option('--all', 'include revoked tokens').action(action(app, runTokenList));
  examples(cmd, ['agentsec serve token list', 'agentsec serve token list --all --json | jq ".tokens[] | {name, scopes, status}"']);
}
