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
import type { StoreTarget } from '../store/open.js';
import type { OpenStoreOptions, Store } from '../store/store.js';
import { hostOrigin } from './audit/origin.js';

export type Env = Readonly<Record<string, string | undefined>>;

export interface Runtime {
  readonly env: Env;
  readonly paths: HomePaths;
  readonly clock: () => Date;
  readonly random: RandomSource;
  /** Opens the initialised store (refusing an unsafe home), migrating it forward. Closed by the caller. */
  store(opts?: OpenStoreOptions): Promise<Store>;
  /**
   * Where the store lives: AGENTSEC_DATABASE_URL, else `store:` in config.yaml (a PostgreSQL database shared by a
   * fleet), else the SQLite file of the home.
   */
  storeTarget(): Promise<StoreTarget>;
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

/** The variable that points a home at a PostgreSQL store (beats config.yaml's `store:`). */
export const DATABASE_URL_ENV = 'AGENTSEC_DATABASE_URL';

export function createRuntime(opts: RuntimeOptions): Runtime {
  const warned = new Set<string>();
  const warn = (message: string, kind: WarningKind = 'trouble'): void => {
    if (warned.has(message)) return;
    warned.add(message);
    opts.warn?.(message, kind);
  };
  const paths = homePaths(opts.resolvedHome ?? resolveHome({ flag: opts.home, env: opts.env, cwd: opts.cwd }));
  const env = opts.env;
  const config = async (): Promise<Config> => {
    const { loadConfig } = await import('../platform/config.js');
    return loadConfig(paths.config, (m) => warn(m, 'deprecation'));
  };
  const storeTarget = async (): Promise<StoreTarget> => {
    const fromEnv = env[DATABASE_URL_ENV];
    const cfg = await config();
    if (fromEnv !== undefined && fromEnv !== '') {
      const { storeConfigSchema } = await import('../core/config/store.js');
      const parsed = storeConfigSchema.safeParse(fromEnv);
      if (!parsed.success) throw usageError(`${DATABASE_URL_ENV}: ${parsed.error.issues[0]?.message ?? 'not a postgres:// URL'}`);
      const allow = typeof cfg.store === 'object' ? cfg.store.allowPlaintext === true : false;
      return { backend: 'postgres', url: fromEnv, allowPlaintext: allow, origin: hostOrigin(cfg), source: DATABASE_URL_ENV };
    }
    if (cfg.store !== undefined) {
      const s = typeof cfg.store === 'string' ? { url: cfg.store } : cfg.store;
      return { backend: 'postgres', url: s.url, allowPlaintext: 'allowPlaintext' in s && s.allowPlaintext === true, origin: hostOrigin(cfg), source: `${paths.config} store` };
    }
    return { backend: 'sqlite', path: paths.db };
  };
  return {
    env,
    paths,
    clock: opts.clock ?? (() => new Date()),
    random: opts.random ?? systemRandom,
    async store(storeOpts = {}) {
      const target = await storeTarget();
      const { openStoreTarget } = await import('../store/open.js');
      if (target.backend === 'sqlite') checkStoreFile(paths, opts.homeHint ?? '--home');
      else {
        // The database is shared; the home still holds this host's master key, config and audit signing keys.
        if (!existsSync(paths.home)) throw usageError(`no agentsec home at ${paths.home}: run agentsec init (or pass ${opts.homeHint ?? '--home'})`);
        assertPrivate(paths.home, 'home');
      }
      return openStoreTarget(target.backend === 'postgres' && storeOpts.origin !== undefined ? { ...target, origin: storeOpts.origin } : target, env, storeOpts);
    },
    storeTarget,
    masterKey() {
      assertPrivate(paths.home, 'home');
      return loadMasterKey(paths, env);
    },
    config,
    warn,
  };
}
