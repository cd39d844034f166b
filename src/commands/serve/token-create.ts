import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import { ExitCode } from '../../core/errors.js';
import { APP_SCOPES } from '../../core/serve/credentials.js';
import { credentialView } from './credential-view.js';

export interface TokenCreateOptions {
  scope?: string[];
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').map((s) => s.trim()).filter((s) => s.length > 0)];
}

/** Creates an app token and prints it once on stdout; afterwards only its name and last characters are shown. */
export async function runTokenCreate(ctx: Ctx, opts: TokenCreateOptions, args: unknown[]): Promise<number> {
  const name = String(args[0]);
  const { checkScopes, openCredentials, createCredential } = await import('../../services/serve-credentials.js');
  // Checked before the store opens, so bad input changes nothing.
  const scopes = checkScopes(opts.scope ?? []);
  const creds = await openCredentials(ctx);
  try {
    const { secret, record } = await createCredential(creds, 'app', name, scopes);
    if (ctx.out.json) ctx.out.document({ ...credentialView(record), token: secret });
    else ctx.out.line(secret);
    ctx.out.success(`created app token ${record.name} (${record.scopes.join(', ')}); store it now, it will not be shown again`);
  } finally {
    await creds.close();
  }
  return ExitCode.Ok;
}

export function registerTokenCreate(parent: Command, app: App): void {
  const cmd = parent
    .command('create')
    .description('create an app token for the app API and print it once')
    .argument('<name>', 'what the token is for (unique)')
    .option('--scope <scope>', `what the app may call, repeatable or comma-separated: ${APP_SCOPES.join(', ')}`, collect)
    .action(action(app, runTokenCreate));
  examples(cmd, [
    'agentsec serve token create letta --scope keys:verify --scope blocks:record',
    'agentsec serve token create login --scope totp:verify,audit:append --json | jq -r .token > login.token',
  ]);
}
