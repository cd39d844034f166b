import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import { ExitCode } from '../../core/errors.js';
import { ENCODINGS, generateSecret } from '../../core/secrets/generate.js';
import { parseBytesFlag, parseEncodingFlag, parseIntFlag } from './options.js';
import { choiceOption } from '../../cli/choice.js';

export interface GenerateOptions {
  readonly bytes?: string;
  readonly encoding?: string;
  readonly count?: string;
  readonly allowWeak?: boolean;
}

/** Prints `--count` fresh secrets, one per line, on stdout (the user asked for them). */
export async function runGenerate(ctx: Ctx, opts: GenerateOptions): Promise<number> {
  const bytes = parseBytesFlag(opts.bytes, opts.allowWeak === true);
  const encoding = parseEncodingFlag(opts.encoding);
  const count = parseIntFlag(opts.count, '--count', 1, 1, 10_000);
  const values = Array.from({ length: count }, () => generateSecret(bytes, encoding, ctx.random));
  if (ctx.out.json) ctx.out.document({ bytes, encoding, values });
  else for (const v of values) ctx.out.line(v);
  return ExitCode.Ok;
}

export function registerGenerate(parent: Command, app: App): void {
  const cmd = parent
    .command('generate')
    .description('print random secrets from the OS CSPRNG, one per line')
    .option('--bytes <n>', 'random bytes per secret (at least 16 unless --allow-weak)', '32')
    .addOption(choiceOption('--encoding <enc>', 'text encoding', ENCODINGS, { default: 'base64url' }))
    .option('--count <n>', 'how many secrets', '1')
    .option('--allow-weak', 'allow fewer than 16 bytes')
    .action(action(app, runGenerate));
  examples(cmd, ['agentsec secret generate', 'agentsec secret generate --bytes 64 --encoding hex', 'agentsec secret generate --count 3 --encoding alnum']);
}
