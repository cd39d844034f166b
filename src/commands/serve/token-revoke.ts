import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import { confirmOrRefuse } from '../../cli/confirm.js';
import type { Ctx } from '../../cli/context.js';
import { ExitCode } from '../../core/errors.js';
import { credentialView } from './credential-view.js';

/** Revokes an app token at once (the running server refuses it from its next request). */
export async function runTokenRevoke(ctx: Ctx, _opts: object, args: unknown[]): Promise<number> {
  const name = String(args[0]);
  const { openCredentials, revokeToken, listCredentials } = await import('../../services/serve-credentials.js');
  const creds = await openCredentials(ctx);
  try {
    const current = (await listCredentials(creds, 'app', { all: false })).find((r) => r.name === name);
    if (current) await confirmOrRefuse(ctx, `Revoke app token ${name}? The app using it is refused at once.`, 'serve token revoke');
    const { record, changed } = await revokeToken(creds, name);
    if (ctx.out.json) ctx.out.document({ revoked: changed, token: credentialView(record) });
    else if (changed) ctx.out.success(`revoked app token ${record.name}`);
    else ctx.out.info(`app token ${record.name} was already revoked; nothing changed`);
  } finally {
    await creds.close();
  }
  return ExitCode.Ok;
}

export function registerTokenRevoke(parent: Command, app: App): void {
  const cmd = parent
    .command('revoke')
    .description('revoke an app token at once (asks first; --yes without a terminal)')
    .argument('<name>', 'the token name')
    .action(action(app, runTokenRevoke));
  examples(cmd, ['agentsec serve token revoke letta', 'agentsec serve token revoke letta --yes   # from a script']);
}
