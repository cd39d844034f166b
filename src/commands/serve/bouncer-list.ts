import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import { ExitCode } from '../../core/errors.js';
import { credentialDisplay } from '../../core/serve/credentials.js';
import type { CredentialRecord } from '../../store/serve-credentials.js';
import { credentialView, iso } from './credential-view.js';

/** Lists the bouncers. Never a key, never its hash. */
export async function runBouncerList(ctx: Ctx): Promise<number> {
  const { openCredentials, listCredentials } = await import('../../services/serve-credentials.js');
  const creds = await openCredentials(ctx);
  try {
    const records = await listCredentials(creds, 'bouncer', { all: true });
    if (ctx.out.json) {
      ctx.out.document({ bouncers: records.map(credentialView) });
      return ExitCode.Ok;
    }
    ctx.out.table<CredentialRecord>(
      [
        { header: 'NAME', value: (r) => r.name, keep: true },
        { header: 'KEY', value: (r) => credentialDisplay('bouncer', r.last4), keep: true },
        { header: 'CREATED', value: (r) => iso(r.createdAt) ?? '-', drop: 1 },
        { header: 'LAST USED', value: (r) => iso(r.lastUsedAt) ?? '-', keep: true },
      ],
      records,
    );
    if (records.length === 0) ctx.out.info('no bouncers (add one with agentsec serve bouncer add NAME)');
  } finally {
    await creds.close();
  }
  return ExitCode.Ok;
}

export function registerBouncerList(parent: Command, app: App): void {
  const cmd = parent.command('list').description('list the CrowdSec bouncers; never shows a key').action(action(app, runBouncerList));
  examples(cmd, ['agentsec serve bouncer list', 'agentsec serve bouncer list --json | jq -r ".bouncers[].name"']);
}
