import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import { ExitCode } from '../../core/errors.js';
import type { PromptFn } from '../../platform/password-input.js';
import { collectPolicy, POLICY_FLAG_HELP } from './policy.js';

export interface CheckFlags {
  readonly policy?: string[];
}

/** `password check`: exit 0 when the password (stdin or prompt) passes the policy, 1 with the reasons when not. */
export async function runCheck(ctx: Ctx, flags: CheckFlags, _args: unknown[] = [], prompt?: PromptFn): Promise<number> {
  const { policyFor, reportRefusal } = await import('./policy.js');
  const policy = await policyFor(ctx, flags.policy);
  const { readSecretInput } = await import('../../platform/password-input.js');
  const password = await readSecretInput(ctx.io, { what: 'password', confirm: false, ...(prompt ? { prompt } : {}) });
  const { checkPassword } = await import('../../services/passwords.js');
  const verdict = await checkPassword(password, policy);
  if (!verdict.ok) return reportRefusal(ctx, verdict, policy, 'the password does not meet the policy');
  if (ctx.out.json) ctx.out.document({ accepted: true, violations: [], policy });
  else ctx.out.success('password meets the policy');
  return ExitCode.Ok;
}

export function registerCheck(parent: Command, app: App): void {
  const cmd = parent
    .command('check')
    .description('check a password (stdin or TTY prompt) against the password policy without hashing it: exit 0 ok, 1 refused')
    .option('--policy <setting>', POLICY_FLAG_HELP, collectPolicy)
    .action(action(app, runCheck));
  examples(cmd, ['agentsec password check', 'printf %s "$PASSWORD" | agentsec password check --json']);
}
