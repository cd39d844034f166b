/**
 * What every service needs from the world outside it, and nothing of a terminal: the home's paths, the environment
 * it was started with, a clock and randomness (replaced in tests), and lazy access to the store, the master key and
 * config.yaml. The CLI's command context extends it with its terminal (io, output, flags); the library and the
 * server build one directly, so no library or server path ever builds a CLI context.
 */
import { existsSync } from 'node:fs';
import type { Config } from '../core/config.js';
import { systemRandom, type RandomSource } from '../core/crypto/seal.js';
import { usageError } from '../core/errors.js';
import { assertPrivate } from '../platform/fs.js';
import { loadMasterKey } from '../platform/master-key.js';
import { homePaths, resolveHome, type HomePaths } from '../platform/paths.js';
import type { OpenStoreOptions, Store } from '../store/store.js';

export type Env = Readonly<Record<string, string | undefined>>;

export interface Runtime {
  readonly env: Env;
  readonly paths: HomePaths;
  readonly clock: () => Date;
  readonly random: RandomSource;
  /** Opens the initialised store (refusing an unsafe home), migrating it forward. Closed by the caller. */
  store(opts?: OpenStoreOptions): Promise<Store>;
  masterKey(): Promise<Buffer>;
  /** config.yaml from the home, validated; the defaults when absent. */
  config(): Promise<Config>;
  /**
   * A warning for the person running agentsec (a deprecated config key, an audit chain that cannot be sealed):
   * the CLI's stderr, the library's process warnings. Each distinct message once per runtime.
   */
  warn(message: string, kind?: WarningKind): void;
}

export type WarningKind = 'deprecation' | 'trouble';

export interface RuntimeOptions {
  /** The home as given (a flag or a library option); else AGENTSEC_HOME, else $XDG_DATA_HOME/agentsec. */
  readonly home?: string | undefined;
  /** The resolved home, when the caller already has it (skips resolution). */
  readonly resolvedHome?: string | undefined;
  readonly env: Env;
  readonly cwd: string;
  readonly clock?: (() => Date) | undefined;
  readonly random?: RandomSource | undefined;
  /** Where warnings go (see Runtime.warn). */
  readonly warn?: ((message: string, kind: WarningKind) => void) | undefined;
  /** How the caller names the home in messages: the CLI's `--home` (default), the library's `home` option. */
  readonly homeHint?: string | undefined;
}

function checkStoreFile(paths: HomePaths, homeHint: string): void {
  if (!existsSync(paths.db)) throw usageError(`no agentsec store in ${paths.home}: run agentsec init (or pass ${homeHint})`);
  assertPrivate(paths.home, 'home');
  assertPrivate(paths.db, 'file');
}

export function createRuntime(opts: RuntimeOptions): Runtime {
  const warned = new Set<string>();
  const warn = (message: string, kind: WarningKind = 'trouble'): void => {
    if (warned.has(message)) return;
    warned.add(message);
    opts.warn?.(message, kind);
  };
  const paths = homePaths(opts.resolvedHome ?? resolveHome({ flag: opts.home, env: opts.env, cwd: opts.cwd }));
  const env = opts.env;
  return {
    env,
    paths,
    clock: opts.clock ?? (() => new Date()),
    random: opts.random ?? systemRandom,
    async store(storeOpts = {}) {
      checkStoreFile(paths, opts.homeHint ?? '--home');
      const { openStore } = await import('../store/open.js');
      return openStore(paths.db, storeOpts);
    },
    masterKey() {
      assertPrivate(paths.home, 'home');
      return loadMasterKey(paths, env);
    },
    async config() {
      const { loadConfig } = await import('../platform/config.js');
      return loadConfig(paths.config, (m) => warn(m, 'deprecation'));
    },
    warn,
  };
}
