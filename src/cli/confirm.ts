import { AgentsecError, ExitCode, usageError } from '../core/errors.js';
import type { Ctx } from './context.js';

/** The terminal prompt: on stderr (stdout stays data), default no. Loaded only when a person is asked. */
async function inquirerConfirm(question: string): Promise<boolean> {
  const { confirm } = await import('@inquirer/prompts');
  try {
    return await confirm({ message: question, default: false }, { output: process.stderr });
  } catch (err) {
    // Ctrl-C in the prompt's raw mode arrives as a rejected prompt, not as SIGINT.
    if ((err as { name?: string }).name === 'ExitPromptError') throw new AgentsecError('interrupted', ExitCode.Interrupted, { cause: err });
    throw err;
  }
}

/**
 * Guards an action that cannot be undone (revoking, removing, replacing credentials). `--yes` goes ahead; a person at
 * a terminal (stdin and stderr both TTYs) is asked, default no, and a "no" stops with exit 1 and nothing changed;
 * without a terminal and without `--yes` the command refuses with exit 2, so a script never destroys something
 * because nobody was there to say no.
 */
export async function confirmOrRefuse(ctx: Ctx, question: string, command: string): Promise<void> {
  if (ctx.globals.yes) return;
  if (!ctx.io.stdin.isTTY || !ctx.io.stderr.isTTY) {
    throw usageError(`${command} asks for confirmation and there is no terminal to ask: pass --yes to go ahead`);
  }
  const ask = ctx.confirm ?? inquirerConfirm;
  if (!(await ask(question))) throw new AgentsecError('not confirmed; nothing changed', ExitCode.Negative);
}
