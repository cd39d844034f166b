import type { Ctx } from '../../cli/context.js';
import { parseDuration } from '../../core/duration.js';
import { usageError } from '../../core/errors.js';
import {
  ALGORITHMS,
  classifyCode,
  DEFAULT_PERIOD,
  DEFAULT_WINDOW,
  DIGITS,
  ISSUER_PATTERN,
  MAX_PERIOD,
  MAX_WINDOW,
  MIN_PERIOD,
  USER_NAME_PATTERN,
  type TotpParams,
} from '../../core/totp/params.js';

export const DEFAULT_ISSUER = 'agentsec';

export function parseUserName(raw: unknown): string {
  const name = String(raw ?? '');
  if (!USER_NAME_PATTERN.test(name)) throw usageError(`USER '${name.slice(0, 64)}': use 1-128 letters, digits and . _ @ + - (starting with a letter or digit)`);
  return name;
}

export interface RawEnrollOptions {
  issuer?: string;
  algorithm?: string;
  digits?: string;
  period?: string;
  force?: boolean;
}

/** Validates enroll flags with zod (loaded only here); the issuer defaults to config totp.issuer, else agentsec. */
export async function parseEnrollOptions(opts: RawEnrollOptions, configIssuer: string | undefined): Promise<{ issuer: string; params: TotpParams; force: boolean }> {
  const { z } = await import('zod');
  const schema = z.object({
    issuer: z.string().regex(ISSUER_PATTERN, '--issuer: use 1-64 letters, digits, spaces and . _ @ + & ( ) - (no colon)'),
    algorithm: z.enum(ALGORITHMS, { message: `--algorithm: use one of ${ALGORITHMS.join(', ')}` }),
    digits: z.union([z.literal(DIGITS[0]), z.literal(DIGITS[1])], { message: '--digits: use 6 or 8' }),
    period: z.number({ message: '--period: give a whole number of seconds' }).int('--period: give a whole number of seconds').min(MIN_PERIOD, `--period: use ${MIN_PERIOD} to ${MAX_PERIOD} seconds`).max(MAX_PERIOD, `--period: use ${MIN_PERIOD} to ${MAX_PERIOD} seconds`),
  });
  const num = (t: string | undefined, d: number): number => (t === undefined ? d : /^\d{1,4}$/.test(t) ? Number(t) : Number.NaN);
  const parsed = schema.safeParse({
    issuer: opts.issuer ?? configIssuer ?? DEFAULT_ISSUER,
    algorithm: (opts.algorithm ?? 'SHA1').toUpperCase(),
    digits: num(opts.digits, 6),
    period: num(opts.period, DEFAULT_PERIOD),
  });
  if (!parsed.success) throw usageError(parsed.error.issues[0]?.message ?? 'invalid options');
  const { issuer, algorithm, digits, period } = parsed.data;
  return { issuer, params: { algorithm, digits, period }, force: opts.force === true };
}

export function parseWindow(text: string | undefined): number {
  if (text === undefined) return DEFAULT_WINDOW;
  if (!/^\d$/.test(text) || Number(text) > MAX_WINDOW) throw usageError(`--window: use 0 to ${MAX_WINDOW} time steps either side`);
  return Number(text);
}

/**
 * Reads the code: --code, else stdin, else (on a TTY) a masked prompt. Malformed input is a usage error here, before
 * any store is opened, so it changes nothing.
 */
export async function readCode(ctx: Ctx, flag: string | undefined, opts: { backupAllowed: boolean }): Promise<string> {
  let typed: string;
  let source: string;
  if (flag !== undefined) {
    typed = flag;
    source = '--code';
  } else {
    const { readSecretInput } = await import('../../platform/password-input.js');
    typed = await readSecretInput(ctx.io, { what: 'code', confirm: false });
    source = ctx.io.stdin.isTTY ? 'the prompt' : 'stdin';
  }
  const shape = classifyCode(typed);
  if (shape.kind === 'malformed') throw usageError(`the code from ${source} is malformed: ${shape.reason}`);
  if (shape.kind === 'backup' && !opts.backupAllowed) throw usageError(`the code from ${source} is a backup code: confirm with the 6 or 8 digit code from the app`);
  return typed;
}
