import type { PromptFn } from '../platform/password-input.js';
import { existsSync } from 'node:fs';
import { systemRandom, type RandomSource } from '../core/crypto/seal.js';
import { usageError } from '../core/errors.js';
import { makeChalk, colorLevel } from '../output/color.js';
import { Output } from '../output/output.js';
import { assertPrivate } from '../platform/fs.js';
import type { Io } from '../platform/io.js';
import { loadMasterKey } from '../platform/master-key.js';
import { homePaths, resolveHome, type HomePaths } from '../platform/paths.js';
import type { Db, OpenStoreOptions } from '../store/db.js';

/** Answers a yes/no question; the test hook replaces the terminal prompt. */
export type ConfirmFn = (question: string) => Promise<boolean>;

export interface Globals {
  readonly home?: string | undefined;
  readonly json: boolean;
  readonly quiet: boolean;
  readonly color: boolean;
  readonly yes: boolean;
}

/** What a command's run() receives: its process (io), a renderer, a clock, randomness and the home. */
export interface Ctx {
  readonly io: Io;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly out: Output;
  readonly globals: Globals;
  readonly paths: HomePaths;
  readonly clock: () => Date;
  readonly random: RandomSource;
  /** Test hook: answers masked TTY prompts (readSecretInput) instead of @inquirer/prompts. */
  readonly prompt?: PromptFn;
  /** Test hook: answers yes/no confirmations instead of the terminal prompt. */
  readonly confirm?: ConfirmFn;
  /** Opens the initialised store (refusing an unsafe home), migrating it forward. Closed by the caller. */
  openStore(opts?: OpenStoreOptions): Promise<Db>;
  masterKey(): Promise<Buffer>;
  /** config.yaml from the home, validated; the defaults when absent. */
  config(): Promise<import('../core/config.js').Config>;
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
  const paths = homePaths(resolveHome({ flag: globals.home, env: io.env, cwd: io.cwd }));
  return {
    io,
    env: io.env,
    out,
    globals,
    paths,
    clock: overrides.clock ?? (() => new Date()),
    random: overrides.random ?? systemRandom,
    ...(overrides.prompt ? { prompt: overrides.prompt } : {}),
    ...(overrides.confirm ? { confirm: overrides.confirm } : {}),
    async openStore(opts = {}) {
      if (!existsSync(paths.db)) throw usageError(`no agentsec store in ${paths.home}: run agentsec init (or pass --home)`);
      assertPrivate(paths.home, 'home');
      assertPrivate(paths.db, 'file');
      const { openDb } = await import('../store/db.js');
      return openDb(paths.db, opts);
    },
    masterKey() {
      assertPrivate(paths.home, 'home');
      return loadMasterKey(paths, io.env);
    },
    async config() {
      const { loadConfig } = await import('../platform/config.js');
      return loadConfig(paths.config);
    },
  };
}
