import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import { confirmOrRefuse } from '../../cli/confirm.js';
import type { Ctx } from '../../cli/context.js';
import { ExitCode } from '../../core/errors.js';
import { credentialView } from './credential-view.js';

/** Deletes a bouncer: its key is refused at once, and its pull state is forgotten. */
export async function runBouncerDelete(ctx: Ctx, _opts: object, args: unknown[]): Promise<number> {
  const name = String(args[0]);
  const { openCredentials, deleteBouncer, listCredentials } = await import('../../services/serve-credentials.js');
  const creds = await openCredentials(ctx);
  try {
    if ((await listCredentials(creds, 'bouncer', { all: true })).some((r) => r.name === name)) await confirmOrRefuse(ctx, `Delete bouncer ${name}? Its key is refused at once.`, 'serve bouncer delete');
    const record = await deleteBouncer(creds, name);
    if (ctx.out.json) ctx.out.document({ deleted: true, bouncer: credentialView(record) });
    else ctx.out.success(`deleted bouncer ${record.name}`);
  } finally {
    await creds.close();
  }
  return ExitCode.Ok;
}

export function registerBouncerDelete(parent: Command, app: App): void {
  const cmd = parent
    .command('delete')
    .description('delete a CrowdSec bouncer at once (asks first; --yes without a terminal)')
    .argument('<name>', 'the bouncer name')
    .action(action(app, runBouncerDelete));
  examples(cmd, ['agentsec serve bouncer delete firewall --yes']);
}
