import type { Command } from 'commander';
import type { Io } from '../platform/io.js';
import { createCtx, globalsFrom, type Ctx } from './context.js';
import { exampleLines } from './example-wrap.js';

/** What every registration receives: the process io and a slot for the exit code of the command that ran. */
export interface App {
  readonly io: Io;
  exitCode: number;
  /** Test hook: replace the clock/randomness/prompt of every ctx built for this run. */
  readonly ctxOverrides?: Partial<Pick<Ctx, 'clock' | 'random' | 'prompt' | 'confirm'>>;
}

export type RunFn<O> = (ctx: Ctx, opts: O, args: unknown[]) => Promise<number>;

/** Adapts a command's run(ctx, opts, args) to commander: builds the ctx from the global flags, records the exit code. */
export function action<O>(app: App, run: RunFn<O>): (...args: unknown[]) => Promise<void> {
  return async (...args: unknown[]) => {
    const cmd = args[args.length - 1] as Command;
    const opts = cmd.opts() as O;
    const ctx = createCtx(app.io, globalsFrom(cmd.optsWithGlobals()), app.ctxOverrides);
    app.exitCode = await run(ctx, opts, args.slice(0, -2));
  };
}

const EXAMPLES = new WeakMap<Command, readonly string[]>();

/**
 * Attaches examples to a command: shown at the end of its --help and in the man page, each within 80 columns
 * (long ones continued with a backslash) and in ASCII.
 */
export function examples(cmd: Command, lines: readonly string[]): Command {
  EXAMPLES.set(cmd, lines);
  const shown = lines.flatMap((l) => exampleLines(l, 78).map((w) => `  ${w}`));
  cmd.addHelpText('after', `\nExamples:\n${shown.join('\n')}\n`);
  return cmd;
}

export function examplesOf(cmd: Command): readonly string[] {
  return EXAMPLES.get(cmd) ?? [];
}

/** The command's path below the root: ['audit', 'verify']. */
export function commandPath(cmd: Command): string[] {
  const path: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) path.unshift(c.name());
  return path;
}
