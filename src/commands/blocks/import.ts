import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import { ExitCode, usageError } from '../../core/errors.js';
import { choiceOption } from '../../cli/choice.js';

export interface ImportOptions {
  from?: string;
}

/**
 * Brings fail2ban's still-active bans in as blocks with their original start and end (a ban without its own
 * bantime gets the policy's blockDuration from its start). Expired bans, invalid addresses and allowlisted ones
 * are counted and skipped; a value already blocked at least as long is left alone. One transaction; each block
 * gets its `blocks.block` audit entry.
 */
export async function runImport(ctx: Ctx, opts: ImportOptions, args: unknown[]): Promise<number> {
  if (opts.from !== 'fail2ban') throw usageError(`--from: '${String(opts.from ?? '').slice(0, 20)}' is not supported: use --from fail2ban`);
  const path = String(args[0]);
  if (!existsSync(path)) throw usageError(`${path}: no such file: give fail2ban's database (usually /var/lib/fail2ban/fail2ban.sqlite3)`);
  const { openBlocks, readFail2banBans, importBans } = await import('../../services/blocks.js');
  const bans = await readFail2banBans(path);
  const blocks = await openBlocks(ctx);
  let stats;
  try {
    stats = await importBans(blocks, bans);
  } finally {
    await blocks.close();
  }
  if (ctx.out.json) ctx.out.document({ from: 'fail2ban', ...stats });
  else ctx.out.success(`imported ${stats.imported} of ${stats.bans} fail2ban bans (${stats.expired} expired, ${stats.alreadyBlocked} already blocked, ${stats.allowlisted} allowlisted, ${stats.invalid} invalid)`);
  return ExitCode.Ok;
}

export function registerImport(parent: Command, app: App): void {
  const cmd = parent
    .command('import')
    .description('import the active bans of a fail2ban database as blocks')
    .argument('<db>', "fail2ban's SQLite database")
    .addOption(choiceOption('--from <tool>', 'source format', ['fail2ban']).makeOptionMandatory())
    .action(action(app, runImport));
  examples(cmd, ['agentsec blocks import --from fail2ban /var/lib/fail2ban/fail2ban.sqlite3']);
}
