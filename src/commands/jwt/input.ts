import type { Ctx } from '../../cli/context.js';
import { usageError } from '../../core/errors.js';
import { readTextFile } from '../../platform/fs.js';

export const JWT_TOKEN_ENV = 'AGENTSEC_JWT';

/** Commander collector for repeatable options. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/**
 * The token to check: `--token-file`, else AGENTSEC_JWT, else stdin or a masked prompt on a terminal — never argv, where a bearer token would leak
 * into `ps` and shell history. Surrounding whitespace (a trailing newline, a pasted space) is trimmed: it can never
 * be part of a compact JWT.
 */
export async function readToken(ctx: Ctx, tokenFile: string | undefined): Promise<{ token: string; source: string }> {
  let raw: string;
  let source: string;
  if (tokenFile !== undefined) {
    raw = readTextFile(tokenFile, 'token file');
    source = `--token-file ${tokenFile}`;
  } else if (ctx.env[JWT_TOKEN_ENV]) {
    raw = ctx.env[JWT_TOKEN_ENV] as string;
    source = JWT_TOKEN_ENV;
  } else {
    // Piped, or a masked prompt for a person at a terminal (nothing echoed, nothing left in the scrollback).
    const { readStdinOrPrompt } = await import('../../platform/password-input.js');
    ({ raw, source } = await readStdinOrPrompt(ctx.io, 'token', ctx.prompt));
  }
  const token = raw.trim();
  if (token === '') throw usageError(`the token from ${source} is empty`);
  return { token, source };
}
