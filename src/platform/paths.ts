import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

export interface HomePaths {
  readonly home: string;
  readonly db: string;
  readonly masterKey: string;
  /** Present instead of master.key when the master key is derived from AGENTSEC_PASSPHRASE. */
  readonly masterSalt: string;
  readonly config: string;
}

/**
 * Resolves the agentsec home: `--home`, else `AGENTSEC_HOME`, else `$XDG_DATA_HOME/agentsec`
 * (`~/.local/share/agentsec`). A relative XDG_DATA_HOME is ignored, as the XDG spec requires.
 */
export function resolveHome(opts: { flag?: string | undefined; env: Readonly<Record<string, string | undefined>>; cwd: string; userHome?: string }): string {
  if (opts.flag) return resolve(opts.cwd, opts.flag);
  const fromEnv = opts.env['AGENTSEC_HOME'];
  if (fromEnv) return resolve(opts.cwd, fromEnv);
  const xdg = opts.env['XDG_DATA_HOME'];
  const dataHome = xdg && isAbsolute(xdg) ? xdg : join(opts.userHome ?? opts.env['HOME'] ?? homedir(), '.local', 'share');
  return join(dataHome, 'agentsec');
}

export function homePaths(home: string): HomePaths {
  return {
    home,
    db: join(home, 'agentsec.db'),
    masterKey: join(home, 'master.key'),
    masterSalt: join(home, 'master.salt'),
    config: join(home, 'config.yaml'),
  };
}
