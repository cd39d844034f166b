import type { PromptFn } from '../platform/password-input.js';
import { makeChalk, colorLevel } from '../output/color.js';
import { Output } from '../output/output.js';
import type { Io } from '../platform/io.js';
import { createRuntime, type Runtime } from '../services/runtime.js';

/** Answers a yes/no question; the test hook replaces the terminal prompt. */
export type ConfirmFn = (question: string) => Promise<boolean>;

export interface Globals {
  readonly home?: string | undefined;
  readonly json: boolean;
  readonly quiet: boolean;
  readonly color: boolean;
  readonly yes: boolean;
}

/**
 * What a command's run() receives: the services' runtime (home, clock, randomness, store, master key, config) plus
 * its terminal: its process (io), a renderer and the global flags.
 */
export interface Ctx extends Runtime {
  readonly io: Io;
  readonly out: Output;
  readonly globals: Globals;
  /** Test hook: answers masked TTY prompts (readSecretInput) instead of @inquirer/prompts. */
  readonly prompt?: PromptFn;
  /** Test hook: answers yes/no confirmations instead of the terminal prompt. */
  readonly confirm?: ConfirmFn;
}

export function globalsFrom(opts: Record<string, unknown>): Globals {
  return {
    home: typeof opts['home'] === 'string' ? opts['home'] : undefined,
    json: opts['json'] === true,
    quiet: opts['quiet'] === true,
    color: opts['color'] !== false,
    yes: opts['yes'] === true,
  };
}

export function createCtx(io: Io, globals: Globals, overrides: Partial<Pick<Ctx, 'clock' | 'random' | 'prompt' | 'confirm'>> = {}): Ctx {
  const level = colorLevel({ flag: globals.color, env: io.env, isTTY: io.stdout.isTTY });
  const out = new Output({ stdout: io.stdout, stderr: io.stderr, json: globals.json, quiet: globals.quiet, chalk: makeChalk(level) });
  const runtime = createRuntime({ home: globals.home, env: io.env, cwd: io.cwd, clock: overrides.clock, random: overrides.random, warn: (m) => out.warn(m) });
  return {
    ...runtime,
    io,
    out,
    globals,
    ...(overrides.prompt ? { prompt: overrides.prompt } : {}),
    ...(overrides.confirm ? { confirm: overrides.confirm } : {}),
  };
}
