import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import { confirmOrRefuse } from '../../cli/confirm.js';
import type { Ctx } from '../../cli/context.js';
import { deliverShownOnce, refusePipeForShownOnce } from '../../cli/shown-once.js';
import { ExitCode, usageError } from '../../core/errors.js';
import { SCHEMA_VERSION } from '../../output/output.js';
import { count } from '../../output/plural.js';
import { completesArgs, dynamic } from '../../cli/completion-spec.js';

export interface BackupCodesOptions {
  regenerate?: boolean;
  output?: string;
}

/**
 * Without --regenerate: how many backup codes are left. With it: 10 new codes, printed once; the old ones stop
 * working. Asks first (or needs --yes), refuses a pipe, and replaces the old codes only after the new ones are written.
 */
export async function runBackupCodes(ctx: Ctx, opts: BackupCodesOptions, args: unknown[]): Promise<number> {
  const { parseUserName } = await import('./options.js');
  const name = parseUserName(args[0]);
  if (opts.output !== undefined && !opts.regenerate) throw usageError('--output goes with --regenerate: it is where the new codes are written');
  if (opts.regenerate) refusePipeForShownOnce(ctx, 'new backup codes', opts.output);
  const { openTotp, regenerateBackupCodes, getUser, backupCodesLeft } = await import('../../services/totp.js');
  const totp = await openTotp(ctx, { needKey: false });
  try {
    const user = await getUser(totp, name);
    if (!opts.regenerate) {
      const left = await backupCodesLeft(totp, name);
      if (ctx.out.json) ctx.out.document({ user: name, backupCodesLeft: left });
      else ctx.out.line(String(left));
      ctx.out.info(`'${name}' has ${count(left, 'unused backup code')}; --regenerate replaces them`);
      return ExitCode.Ok;
    }
    if (user.status === 'active') await confirmOrRefuse(ctx, `Replace all backup codes of '${name}'? The current ones stop working.`, 'totp backup-codes --regenerate');
    await regenerateBackupCodes(totp, name, (codes) =>
      deliverShownOnce(ctx, ctx.out.json ? `${JSON.stringify({ schemaVersion: SCHEMA_VERSION, user: name, backupCodes: codes }, null, 2)}\n` : codes.map((c) => `${c}\n`).join(''), opts.output),
    );
    ctx.out.success(`new backup codes for '${name}'${opts.output ? ` written to ${opts.output}` : ''} (each works once, shown only now); the old ones no longer work`);
  } finally {
    await totp.close();
  }
  return ExitCode.Ok;
}

export function registerBackupCodes(parent: Command, app: App): void {
  const cmd = parent
    .command('backup-codes')
    .description('show how many backup codes a user has left; --regenerate replaces them and prints the new ones once')
    .argument('<user>', 'user name')
    .option('--regenerate', 'replace all backup codes with 10 new ones (asks first; --yes without a terminal)')
    .option('--output <file>', 'with --regenerate: write the new codes to this file (atomically, 0600) instead of stdout')
    .action(action(app, runBackupCodes));
  completesArgs(cmd, dynamic('totp-users'));
  examples(cmd, ['agentsec totp backup-codes alice', 'agentsec totp backup-codes alice --regenerate --yes --output alice-codes.txt']);
}
