import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import { ExitCode } from '../../core/errors.js';
import type { PromptFn } from '../../platform/password-input.js';
import type { RawEnrollOptions } from './options.js';

const TTY_TRIES = 3;

/**
 * Enrolls a user. On a TTY (without --json): QR code, URI and secret on stdout, then a prompt for the current code
 * that confirms at once and shows the backup codes. Otherwise: the URI and secret once, and the enrollment stays
 * pending until `totp confirm`.
 */
export async function runEnroll(ctx: Ctx, opts: RawEnrollOptions, args: unknown[], prompt?: PromptFn): Promise<number> {
  const { parseUserName, parseEnrollOptions } = await import('./options.js');
  const name = parseUserName(args[0]);
  const config = await ctx.config();
  const input = await parseEnrollOptions(opts, config.totp?.issuer);
  const { openTotp, enrollUser, confirmUser } = await import('../../services/totp.js');
  const totp = await openTotp(ctx);
  try {
    const enrolled = await enrollUser(totp, { name, ...input });
    const params = { algorithm: input.params.algorithm, digits: input.params.digits, period: input.params.period };
    if (enrolled.replaced) ctx.out.warn(`replaced the previous enrollment of '${name}': its seed and backup codes no longer work`);
    const interactive = !ctx.out.json && ctx.io.stdin.isTTY && ctx.io.stdout.isTTY;
    if (!interactive) {
      if (ctx.out.json) ctx.out.document({ user: name, id: enrolled.user.id, status: 'pending', issuer: input.issuer, ...params, uri: enrolled.uri, secret: enrolled.secret });
      else {
        // A person at a terminal with stdin redirected can still scan; a pipe gets the two data lines only.
        if (ctx.io.stdout.isTTY) ctx.out.line(await (await import('../../output/qr.js')).terminalQr(enrolled.uri));
        ctx.out.line(enrolled.uri);
        ctx.out.line(enrolled.secret);
      }
      ctx.out.info(`enrollment of '${name}' is pending: add the URI to an authenticator app, then pipe its current code to agentsec totp confirm ${name}`);
      return ExitCode.Ok;
    }
    const { terminalQr } = await import('../../output/qr.js');
    ctx.out.line(await terminalQr(enrolled.uri));
    ctx.out.pairs([
      ['uri', enrolled.uri],
      ['secret', enrolled.secret],
      ['parameters', `${params.algorithm}, ${params.digits} digits, ${params.period}s`],
    ]);
    const { readSecretInput } = await import('../../platform/password-input.js');
    const { classifyCode } = await import('../../core/totp/params.js');
    for (let attempt = 1; attempt <= TTY_TRIES; attempt++) {
      const typed = await readSecretInput(ctx.io, { what: 'current code from the app', confirm: false, ...(prompt ? { prompt } : {}) });
      if (classifyCode(typed).kind !== 'totp') {
        ctx.out.warn(`a code has ${params.digits} digits: try again`);
        continue;
      }
      const result = await confirmUser(totp, name, typed, { window: 1 });
      if ('backupCodes' in result) {
        ctx.out.success(`'${name}' is enrolled; backup codes (each works once, shown only now):`);
        for (const c of result.backupCodes) ctx.out.line(c);
        return ExitCode.Ok;
      }
      if (result.code === 'LOCKED') break;
      ctx.out.warn('that code is not valid: check the app and the clock, then try again');
    }
    ctx.out.info(`enrollment of '${name}' is still pending: run agentsec totp confirm ${name}`);
    return ExitCode.Negative;
  } finally {
    await totp.close();
  }
}

export function registerEnroll(parent: Command, app: App): void {
  const cmd = parent
    .command('enroll')
    .description('enroll a user: seed, otpauth URI and (on a TTY) a QR code and confirmation; --force replaces an enrollment')
    .argument('<user>', 'user name (letters, digits and . _ @ + -)')
    .option('--issuer <name>', 'issuer shown in the app (default: config totp.issuer, else agentsec)')
    .option('--algorithm <alg>', 'SHA1, SHA256 or SHA512 (seed of 20, 32 or 64 bytes)', 'SHA1')
    .option('--digits <n>', '6 or 8', '6')
    .option('--period <seconds>', 'time step in seconds (15-120)', '30')
    .option('--force', 'replace an existing enrollment (its seed and backup codes stop working)')
    .action(action(app, (ctx, opts: RawEnrollOptions, args) => runEnroll(ctx, opts, args)));
  examples(cmd, [
    'agentsec totp enroll alice',
    'agentsec totp enroll bob --issuer "ACME agents" --algorithm SHA256 --json > bob-enrollment.json',
    'agentsec totp enroll alice --force',
  ]);
}
