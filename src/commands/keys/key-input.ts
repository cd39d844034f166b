import type { Ctx } from '../../cli/context.js';
import { usageError } from '../../core/errors.js';
import { readTextFile } from '../../platform/fs.js';

export const API_KEY_ENV = 'AGENTSEC_API_KEY';

/**
 * Reads the key to verify: `--key-file`, else AGENTSEC_API_KEY, else stdin, or a masked prompt on a terminal (never
 * argv, which leaks into `ps`).
 * One trailing newline is what files and `echo` add, so it is dropped; any other surrounding whitespace is refused
 * rather than trimmed, so a pasted key with stray characters is reported instead of guessed at.
 */
export async function readKeyInput(ctx: Ctx, keyFile: string | undefined): Promise<{ key: string; source: string }> {
  let raw: string;
  let source: string;
  if (keyFile !== undefined) {
    raw = readTextFile(keyFile, 'key file');
    source = `--key-file ${keyFile}`;
  } else if (ctx.env[API_KEY_ENV] !== undefined && ctx.env[API_KEY_ENV] !== '') {
    raw = ctx.env[API_KEY_ENV] as string;
    source = API_KEY_ENV;
  } else {
    // Piped, or a masked prompt for a person at a terminal (nothing echoed, nothing left in the scrollback).
    const { readStdinOrPrompt } = await import('../../platform/password-input.js');
    ({ raw, source } = await readStdinOrPrompt(ctx.io, 'API key', ctx.prompt));
  }
  const key = raw.replace(/\r?\n$/, '');
  if (key.length === 0) throw usageError(`the API key from ${source} is empty`);
  if (key.trim() !== key) throw usageError(`the API key from ${source} has whitespace around it: give the key alone`);
  if (key.length > 1024) throw usageError(`the API key from ${source} is too long to be an agentsec API key`);
  return { key, source };
}
