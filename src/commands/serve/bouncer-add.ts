import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import { ExitCode } from '../../core/errors.js';
import { credentialView } from './credential-view.js';

/** Adds a CrowdSec bouncer and prints its key once on stdout (its `api_key`). */
export async function runBouncerAdd(ctx: Ctx, _opts: object, args: unknown[]): Promise<number> {
  const name = String(args[0]);
  const { openCredentials, createCredential } = await import('../../services/serve-credentials.js');
  const creds = await openCredentials(ctx);
  try {
    const { secret, record } = await createCredential(creds, 'bouncer', name);
    if (ctx.out.json) ctx.out.document({ ...credentialView(record), key: secret });
    else ctx.out.line(secret);
    ctx.out.success(`added bouncer ${record.name}; put the key in its api_key now, it will not be shown again`);
  } finally {
    await creds.close();
  }
  return ExitCode.Ok;
}

export function registerBouncerAdd(parent: Command, app: App): void {
  const cmd = parent
    .command('add')
    .description('add a CrowdSec bouncer and print its API key once')
    .argument('<name>', 'the bouncer name (unique)')
    .action(action(app, runBouncerAdd));
  examples(cmd, ['agentsec serve bouncer add firewall', 'agentsec serve bouncer add nginx --json | jq -r .key']);
}
