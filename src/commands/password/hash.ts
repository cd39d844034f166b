import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import { ExitCode, usageError } from '../../core/errors.js';
import { DEFAULT_PRESET, isPresetName, PRESET_NAMES, type PresetName } from '../../core/passwords/argon2-params.js';
import type { PromptFn } from '../../platform/password-input.js';
import { choiceOption } from '../../cli/choice.js';
import { collectPolicy, POLICY_FLAG_HELP } from './policy.js';

export interface HashFlags {
  readonly preset?: string;
  readonly policy?: string[];
}

export function parsePresetFlag(text: string | undefined): PresetName {
  const p = text ?? DEFAULT_PRESET;
  if (!isPresetName(p)) throw usageError(`--preset: '${p}' is not one of ${PRESET_NAMES.join(', ')}`);
  return p;
}

/**
 * `password hash`: argon2id PHC string of a password read from stdin or a TTY prompt (asked twice), once it passes
 * the password policy; a refused password is never hashed.
 */
export async function runHash(ctx: Ctx, flags: HashFlags, _args: unknown[] = [], prompt?: PromptFn): Promise<number> {
  const preset = parsePresetFlag(flags.preset);
  const { policyFor, reportRefusal } = await import('./policy.js');
  // The policy (config and flags) is checked before the password is asked for: a bad --policy never costs a prompt.
  const policy = await policyFor(ctx, flags.policy);
  const { readSecretInput } = await import('../../platform/password-input.js');
  const password = await readSecretInput(ctx.io, { what: 'password', confirm: true, ...(prompt ? { prompt } : {}) });
  const { hashPassword, checkPassword } = await import('../../services/passwords.js');
  const verdict = await checkPassword(password, policy);
  if (!verdict.ok) return reportRefusal(ctx, verdict, policy, 'nothing was hashed');
  const { hash, params } = await hashPassword(password, preset);
  if (ctx.out.json) ctx.out.document({ hash, preset, ...params });
  else ctx.out.line(hash);
  return ExitCode.Ok;
}

export function registerHash(parent: Command, app: App): void {
  const cmd = parent
    .command('hash')
    .description('hash a password (stdin or TTY prompt) with argon2id; prints the PHC string')
    .addOption(choiceOption('--preset <name>', 'argon2id cost preset', PRESET_NAMES, { default: DEFAULT_PRESET }))
    .option('--policy <setting>', POLICY_FLAG_HELP, collectPolicy)
    .action(action(app, runHash));
  examples(cmd, [
    'agentsec password hash',
    'printf %s "$PASSWORD" | agentsec password hash --preset rfc9106-low-memory',
    'printf %s "$LEGACY_PASSWORD" | agentsec password hash --policy min-length=8 --policy common=allow',
  ]);
}
