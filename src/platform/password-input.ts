import { AgentsecError, ExitCode, usageError } from '../core/errors.js';
import type { Io } from './io.js';

export type PromptFn = (message: string) => Promise<string>;

/** How many times a person may mistype the repeated secret before the command gives up. */
const CONFIRM_TRIES = 3;

/** The interactive prompt: masked, written to stderr so that stdout stays data. Loaded only when a TTY asks for it. */
async function inquirerPrompt(message: string): Promise<string> {
  const { password } = await import('@inquirer/prompts');
  try {
    return await password({ message, mask: '*' }, { output: process.stderr });
  } catch (err) {
    // Ctrl-C in the prompt's raw mode arrives as a rejected prompt, not as SIGINT.
    if ((err as { name?: string }).name === 'ExitPromptError') throw new AgentsecError('interrupted', ExitCode.Interrupted, { cause: err });
    throw err;
  }
}

/** Removes the one newline that `echo` or a here-string adds, and nothing else. */
export function stripFinalNewline(text: string): string {
  return text.replace(/\r?\n$/, '');
}

/**
 * Reads a secret from stdin (piped) or, on a TTY, from a masked prompt (asked twice when `confirm`).
 * Never from argv. `what` names it in prompts and errors.
 */
export async function readSecretInput(io: Io, opts: { what: string; confirm: boolean; prompt?: PromptFn }): Promise<string> {
  if (!io.stdin.isTTY) {
    const value = stripFinalNewline(await io.stdin.readText());
    if (value === '') throw usageError(`no ${opts.what} on stdin: pipe it in, e.g. printf %s "$VALUE" | agentsec ...`);
    return value;
  }
  const prompt = opts.prompt ?? inquirerPrompt;
  // A typo in the repeat is a person's slip, not a usage error: ask again, as passwd does, a few times.
  for (let attempt = 1; ; attempt++) {
    const first = await prompt(`${opts.what[0]?.toUpperCase()}${opts.what.slice(1)}:`);
    if (first === '') throw usageError(`empty ${opts.what}`);
    if (!opts.confirm) return first;
    const second = await prompt(`Repeat ${opts.what}:`);
    if (second === first) return first;
    if (attempt >= CONFIRM_TRIES) throw usageError(`the two ${opts.what}s did not match ${CONFIRM_TRIES} times: nothing was done`);
    io.stderr.write(`the two ${opts.what}s do not match: try again\n`);
  }
}

/**
 * The last source of a secret after its file and environment variable: stdin when piped (as is: the caller trims),
 * a masked prompt on a terminal. `source` names where it came from, for error messages.
 */
export async function readStdinOrPrompt(io: Io, what: string, prompt?: PromptFn): Promise<{ raw: string; source: string }> {
  if (io.stdin.isTTY) return { raw: await readSecretInput(io, { what, confirm: false, ...(prompt ? { prompt } : {}) }), source: 'the prompt' };
  return { raw: await io.stdin.readText(), source: 'stdin' };
}
