import { AgentsecError, ExitCode, usageError } from '../core/errors.js';
import type { Io } from './io.js';
import type { PromptFn } from './password-input.js';

async function inquirerConfirm(message: string): Promise<boolean> {
  const { confirm } = await import('@inquirer/prompts');
  try {
    return await confirm({ message, default: false }, { output: process.stderr });
  } catch (err) {
    if ((err as { name?: string }).name === 'ExitPromptError') throw new AgentsecError('interrupted', ExitCode.Interrupted, { cause: err });
    throw err;
  }
}

/**
 * Asks before an action that cannot be undone: `--yes` answers for scripts; at a terminal, a yes/no question on
 * stderr (default no); otherwise a usage error that says what would happen and to pass --yes. `prompt` is the
 * test hook (its answer must be y or yes).
 */
export async function confirmAction(io: Io, opts: { yes: boolean; question: string; refusal: string; prompt?: PromptFn }): Promise<void> {
  if (opts.yes) return;
  if (!io.stdin.isTTY || !io.stderr.isTTY) throw usageError(`${opts.refusal}: pass --yes to go ahead`);
  const ok = opts.prompt ? /^y(es)?$/i.test((await opts.prompt(`${opts.question} (y/N)`)).trim()) : await inquirerConfirm(opts.question);
  if (!ok) throw usageError(`${opts.refusal}: not confirmed, nothing changed`);
}
