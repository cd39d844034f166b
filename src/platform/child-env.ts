import { PASSPHRASE_ENV } from './master-key.js';

/**
 * The variables through which agentsec itself receives secrets: the master-key passphrase, an API key or a JWT to
 * verify. A hook (`--then`) needs none of them, and a child holding them could leak them (into its own logs, a
 * container's environment, /proc/PID/environ of a longer-lived process).
 */
export const SECRET_ENV_VARS: readonly string[] = [PASSPHRASE_ENV, 'AGENTSEC_API_KEY', 'AGENTSEC_JWT'];

/** The environment for a hook command: the caller's, minus agentsec's secret inputs, plus `extra`. */
export function hookEnv(env: Readonly<Record<string, string | undefined>>, extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && !SECRET_ENV_VARS.includes(k)) out[k] = v;
  return { ...out, ...extra };
}
