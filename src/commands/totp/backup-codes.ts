import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import { ExitCode } from '../../core/errors.js';

export interface BackupCodesOptions {
  regenerate?: boolean;
}

/** Without --regenerate: how many backup codes are left. With it: 10 new codes, printed once; the old ones stop working. */
export async function runBackupCodes(ctx: Ctx, opts: BackupCodesOptions, args: unknown[]): Promise<number> {
  const { parseUserName } = await import('./options.js');
  const name = parseUserName(args[0]);
  const { openTotp, regenerateBackupCodes, backupCodesLeft } = await import('../../services/totp.js');
  const totp = await openTotp(ctx, { needKey: false });
  try {
    if (!opts.regenerate) {
      const left = await backupCodesLeft(totp, name);
      if (ctx.out.json) ctx.out.document({ user: name, backupCodesLeft: left });
      else ctx.out.line(String(left));
      ctx.out.info(`'${name}' has ${left} unused backup codes; --regenerate replaces them`);
      return ExitCode.Ok;
    }
    const codes = await regenerateBackupCodes(totp, name);
    if (ctx.out.json) ctx.out.document({ user: name, backupCodes: codes });
    else for (const c of codes) ctx.out.line(c);
    ctx.out.success(`new backup codes for '${name}' (each works once, shown only now); the old ones no longer work`);
  } finally {
    await totp.close();
  }
  return ExitCode.Ok;
}

export function registerBackupCodes(parent: Command, app: App): void {
  const cmd = parent
    .command('backup-codes')
    .description("show how many backup codes a user has left; --regenerate replaces them and prints the new ones once")
    .argument('<user>', 'user name')
    .option('--regenerate', 'replace all backup codes with 10 new ones')
    .action(action(app, runBackupCodes));
  examples(cmd, ['agentsec totp backup-codes alice', 'agentsec totp backup-codes alice --regenerate > alice-codes.txt']);
}
