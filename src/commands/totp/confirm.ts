import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import { ExitCode } from '../../core/errors.js';

export interface ConfirmOptions {
  code?: string;
  window?: string;
}

/** Activates a pending enrollment with a current code (stdin or --code) and prints the 10 backup codes once. */
export async function runConfirm(ctx: Ctx, opts: ConfirmOptions, args: unknown[]): Promise<number> {
  const { parseUserName, parseWindow, readCode } = await import('./options.js');
  const name = parseUserName(args[0]);
  const window = parseWindow(opts.window);
  const typed = await readCode(ctx, opts.code, { backupAllowed: false });
  const { openTotp, confirmUser } = await import('../../services/totp.js');
  const totp = await openTotp(ctx);
  try {
    const result = await confirmUser(totp, name, typed, { window });
    if (!('backupCodes' in result)) {
      if (ctx.out.json) ctx.out.document({ ...result });
      else ctx.out.line(result.code);
      ctx.out.info(result.code === 'LOCKED' ? `'${name}' is locked until ${result.lockedUntil}` : `the code is not valid for '${name}': check the app and the clock; the enrollment stays pending`);
      return ExitCode.Negative;
    }
    if (ctx.out.json) ctx.out.document({ user: name, id: result.user.id, status: 'active', backupCodes: result.backupCodes });
    else for (const c of result.backupCodes) ctx.out.line(c);
    ctx.out.success(`'${name}' is enrolled; the ${result.backupCodes.length} backup codes above work once each and will not be shown again`);
    return ExitCode.Ok;
  } finally {
    await totp.close();
  }
}

export function registerConfirm(parent: Command, app: App): void {
  const cmd = parent
    .command('confirm')
    .description('activate a pending enrollment with the current code (stdin or --code); prints the backup codes once')
    .argument('<user>', 'user name')
    .option('--code <code>', 'the current code (default: read from stdin)')
    .option('--window <steps>', 'time steps accepted either side, 0-2', '1')
    .action(action(app, runConfirm));
  examples(cmd, ['printf %s 492039 | agentsec totp confirm alice', 'agentsec totp confirm alice --code 492039 --json > alice-backup-codes.json']);
}
