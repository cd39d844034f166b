import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import { ExitCode, usageError } from '../../core/errors.js';

export interface VerifyOptions {
  code?: string;
  ip?: string;
  window?: string;
}

const MESSAGES: Record<string, (v: import('../../services/totp.js').TotpVerdict) => string> = {
  VALID: (v) => `valid code for '${v.user}'`,
  VALID_BACKUP_CODE: (v) => `valid backup code for '${v.user}'; it is now used, ${v.backupCodesLeft} left`,
  INVALID: (v) => `invalid code for '${v.user}'${v.lockedUntil ? `; too many failures, locked until ${v.lockedUntil}` : ''}`,
  REPLAYED: (v) => `that code for '${v.user}' was already used (replay)${v.lockedUntil ? `; locked until ${v.lockedUntil}` : ''}`,
  LOCKED: (v) => `'${v.user}' is locked after too many failures until ${v.lockedUntil}`,
  PENDING: (v) => `'${v.user}' has not confirmed enrollment: run agentsec totp confirm ${v.user}`,
  UNKNOWN_USER: (v) => `no TOTP user '${v.user}': see agentsec totp list`,
};

/** Exit 0 for a valid code or backup code, 1 for every negative verdict, 2 for input that is not a code. */
export async function runVerify(ctx: Ctx, opts: VerifyOptions, args: unknown[]): Promise<number> {
  const { parseUserName, parseWindow, readCode } = await import('./options.js');
  const name = parseUserName(args[0]);
  const window = parseWindow(opts.window);
  let ip: string | null = null;
  if (opts.ip !== undefined) {
    const { badIpMessage, parseIp, formatIp } = await import('../../core/net/index.js');
    const parsed = parseIp(opts.ip);
    if (!parsed) throw usageError(`--ip ${badIpMessage(opts.ip)}`);
    ip = formatIp(parsed);
  }
  const typed = await readCode(ctx, opts.code, { backupAllowed: true });
  const { openTotp, verifyUserCode } = await import('../../services/totp.js');
  const totp = await openTotp(ctx);
  let verdict: import('../../services/totp.js').TotpVerdict;
  try {
    const { authFailureFeed } = await import('../../services/auth-failures.js');
    const failureFeed = ip ? await authFailureFeed(ctx, totp.store, 'totp.verify') : undefined;
    verdict = await verifyUserCode(totp, name, typed, { window, ip, failureFeed });
  } finally {
    await totp.close();
  }
  if (ctx.out.json) ctx.out.document({ ...verdict });
  else ctx.out.line(verdict.code);
  const message = MESSAGES[verdict.code]?.(verdict) ?? verdict.code;
  if (verdict.valid) ctx.out.success(message);
  else ctx.out.info(message);
  return verdict.valid ? ExitCode.Ok : ExitCode.Negative;
}

export function registerVerify(parent: Command, app: App): void {
  const cmd = parent
    .command('verify')
    .description('check a code or backup code (stdin or --code): VALID, VALID_BACKUP_CODE, INVALID, REPLAYED, LOCKED, PENDING, UNKNOWN_USER')
    .argument('<user>', 'user name')
    .option('--code <code>', 'the code (default: read from stdin)')
    .option('--ip <ip>', "the client's address, recorded with a failure")
    .option('--window <steps>', 'time steps accepted either side, 0-2', '1')
    .action(action(app, runVerify));
  examples(cmd, ['printf %s "$CODE" | agentsec totp verify alice --ip 203.0.113.7', 'agentsec totp verify alice --code 492039 --json | jq -r .code']);
}
