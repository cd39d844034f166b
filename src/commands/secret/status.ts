import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import type { StatusFlags } from './status-run.js';

export type { StatusFlags };

/**
 * `secret status`: every tracked secret with its age and whether it is overdue; with --dotenv, also the
 * secret-looking names in that file agentsec never rotated. Flags weak and template values. Exit 1 on any problem.
 * The work lives in status-run.ts, loaded only when the command runs.
 */
export async function runStatus(ctx: Ctx, flags: StatusFlags): Promise<number> {
  const { runStatusCommand } = await import('./status-run.js');
  return runStatusCommand(ctx, flags);
}

export function registerStatus(parent: Command, app: App): void {
  const cmd = parent
    .command('status')
    .description('age and strength of tracked secrets; exit 1 when any is overdue or weak')
    .option('--dotenv <file>', 'only this file, plus its secret-looking names never rotated by agentsec')
    .option('--max-age <duration>', 'rotation age after which a secret is overdue', '30d')
    .action(action(app, runStatus));
  examples(cmd, ['agentsec secret status', 'agentsec secret status --dotenv /srv/agent/.env --max-age 90d', 'agentsec secret status --json | jq \'.secrets[] | select(.overdue)\'']);
}
