import { AgentsecError, ExitCode, usageError } from '../core/errors.js';
import { checkOutputPath } from '../platform/named-paths.js';
import type { Ctx } from './context.js';

/**
 * Secrets that are shown once and replace working ones (new backup codes) must reach the person whole, or not be
 * made at all. A pipe cannot promise that: its reader may keep part and quit (`| head -2` kept 2 of 10 codes and the
 * other 8 were lost with the old ones). So such output refuses a pipe up front, and is written to a terminal, a
 * redirected file or `--output FILE` (0600) before anything is committed.
 */
export function refusePipeForShownOnce(ctx: Ctx, what: string, output: string | undefined): void {
  if (output !== undefined) {
    checkOutputPath(output, '--output', ctx.io.cwd);
    return;
  }
  if (ctx.io.stdout.isPipe) {
    throw usageError(`${what} are shown only once and a pipe's reader may keep only some of them (| head): redirect stdout to a file, or pass --output FILE (written 0600); nothing was changed`);
  }
}

/**
 * Writes the text to `--output` (atomically, 0600) or stdout, and resolves only once it has been handed to the
 * system; the caller commits after that. A write that fails, or a reader that went away, throws: nothing committed.
 */
export async function deliverShownOnce(ctx: Ctx, text: string, output: string | undefined): Promise<void> {
  if (output !== undefined) {
    const { writeFileAtomic } = await import('../platform/fs.js');
    writeFileAtomic(checkOutputPath(output, '--output', ctx.io.cwd), text, { mode: 0o600 });
    return;
  }
  ctx.io.stdout.write(text);
  try {
    await ctx.io.stdout.flush?.();
  } catch (err) {
    throw new AgentsecError(`could not write the output (${(err as NodeJS.ErrnoException).code ?? String(err)}): nothing was changed`, ExitCode.Runtime, { cause: err });
  }
  if (ctx.io.signal.aborted) throw new AgentsecError('the output was closed before everything was written: nothing was changed', ExitCode.Runtime);
}
