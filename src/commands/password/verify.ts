import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import { ExitCode, usageError } from '../../core/errors.js';
import { DEFAULT_PRESET, PRESET_NAMES } from '../../core/passwords/argon2-params.js';
import type { PromptFn } from '../../platform/password-input.js';
import { parsePresetFlag } from './hash.js';
import { choiceOption } from '../../cli/choice.js';

export interface VerifyFlags {
  readonly hash?: string;
  readonly hashFile?: string;
  readonly preset?: string;
}

/** `password verify`: exit 0 when the password (stdin or prompt) matches the PHC hash, 1 when not; flags a weak hash. */
export async function runVerify(ctx: Ctx, flags: VerifyFlags, _args: unknown[] = [], prompt?: PromptFn): Promise<number> {
  if ((flags.hash === undefined) === (flags.hashFile === undefined)) throw usageError('pass exactly one of --hash PHC or --hash-file FILE');
  const preset = parsePresetFlag(flags.preset);
  const [{ resolve }, { readTextFile }, { readSecretInput }] = await Promise.all([import('node:path'), import('../../platform/fs.js'), import('../../platform/password-input.js')]);
  const from = flags.hash !== undefined ? '--hash' : `--hash-file ${flags.hashFile}`;
  const phc = (flags.hash ?? readTextFile(resolve(ctx.io.cwd, flags.hashFile as string), 'hash file')).trim();
  const { requirePhc, verifyPassword } = await import('../../services/passwords.js');
  // The hash is checked before the password is asked for, so a bad --hash never costs a prompt.
  requirePhc(phc, from);
  const password = await readSecretInput(ctx.io, { what: 'password', confirm: false, ...(prompt ? { prompt } : {}) });
  const { match, needsRehash, rehashReasons: reasons, params: info } = await verifyPassword(phc, password, preset, from);
  if (ctx.out.json) {
    ctx.out.document({ match, needsRehash, rehashReasons: reasons, preset, params: info });
  } else {
    if (match) ctx.out.success('password matches');
    else ctx.out.warn('password does not match');
    if (needsRehash) ctx.out.warn(`hash is below the ${preset} preset (${reasons.join('; ')}): rehash at the next successful login`);
  }
  return match ? ExitCode.Ok : ExitCode.Negative;
}

export function registerVerify(parent: Command, app: App): void {
  const cmd = parent
    .command('verify')
    .description('check a password (stdin or TTY prompt) against an argon2 PHC hash: exit 0 match, 1 no match')
    .option('--hash <phc>', 'the PHC string')
    .option('--hash-file <file>', 'file holding the PHC string')
    .addOption(choiceOption('--preset <name>', 'preset a hash must meet, else "needs rehash"', PRESET_NAMES, { default: DEFAULT_PRESET }))
    .action(action(app, runVerify));
  examples(cmd, ['printf %s "$PASSWORD" | agentsec password verify --hash-file admin.hash', "agentsec password verify --hash '$argon2id$v=19$m=19456,t=2,p=1$...'"]);
}
