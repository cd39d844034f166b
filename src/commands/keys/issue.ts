import { Option, type Command } from 'commander';
import { completes, dynamic } from '../../cli/completion-spec.js';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import { DEFAULT_PREFIX } from '../../core/apikeys/format.js';
import { publicView } from '../../core/apikeys/record.js';
import { ExitCode } from '../../core/errors.js';
import { collect, type RawIssueOptions } from './options.js';
import { ROLES } from '../../core/apikeys/permissions.js';

export interface IssueOptions extends RawIssueOptions {
  name?: string;
  role?: string;
  scope?: string[];
  expires?: string;
  allowIp?: string[];
  prefix?: string;
  meta?: string[];
}

/** Issues a key and prints it once on stdout; afterwards only its id is ever shown. */
export async function runIssue(ctx: Ctx, opts: IssueOptions): Promise<number> {
  const { validateIssueOptions } = await import('./options.js');
  const now = ctx.clock().getTime();
  // Validate everything before touching the store, so bad input changes nothing.
  const { rolesOf } = await import('../../services/roles.js');
  const input = await validateIssueOptions(opts, now, DEFAULT_PREFIX, rolesOf(await ctx.config()).table);
  const { openKeys, issueKey } = await import('../../services/keys.js');
  const keys = await openKeys(ctx);
  try {
    const { key, record } = await issueKey(keys, input);
    if (ctx.out.json) ctx.out.document({ key, ...publicView(record, now) });
    else ctx.out.line(key);
    ctx.out.success(`issued API key ${record.id} (${record.name}); store it now, it will not be shown again`);
  } finally {
    await keys.close();
  }
  return ExitCode.Ok;
}

export function registerIssue(parent: Command, app: App): void {
  const cmd = parent
    .command('issue')
    .description('issue an API key and print it once; afterwards only its id is shown')
    .option('--name <name>', 'what the key is for (required)')
    .addOption(completes(new Option('--role <role>', `role: ${ROLES.join(', ')} or one defined under roles: in config.yaml (default viewer, or none when --scope is given)`), dynamic('roles')))
    .option('--scope <perm>', 'an extra permission resource:action[:target], * allowed in any part (repeatable)', collect)
    .option('--expires <when>', 'a duration (90d) or a date (2027-01-31); default never')
    .option('--allow-ip <ip|cidr>', 'accept the key only from this address or network (repeatable)', collect)
    .option('--prefix <prefix>', `key prefix, 2-16 lower-case letters/digits (default ${DEFAULT_PREFIX})`)
    .option('--meta <key=value>', 'metadata stored with the key (repeatable)', collect)
    .action(action(app, runIssue));
  examples(cmd, [
    'agentsec keys issue --name ci-deploy --role operator --expires 90d',
    'agentsec keys issue --name metrics --scope metrics:read --allow-ip 10.0.0.0/8 --allow-ip 2001:db8::/32',
    'agentsec keys issue --name bot --meta team=infra --json | jq -r .key > bot.key',
    'agentsec keys issue --name mem0 --role service   # a role from config.yaml roles:',
    'agentsec keys issue --name planner-feed --scope message:inject:agent-planner',
  ]);
}
