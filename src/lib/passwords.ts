import type { PolicyOverrides, PolicyVerdict } from '../core/passwords/policy.js';
import { usageError } from '../core/errors.js';
import { libraryRuntime } from './runtime.js';

export interface CheckPasswordOptions {
  /** Changes to the policy (beats config.yaml's `passwords:`), e.g. `{ minLength: 8 }`. */
  readonly policy?: PolicyOverrides | undefined;
  /** The agentsec home whose config.yaml `passwords:` applies; default $AGENTSEC_HOME, else $XDG_DATA_HOME/agentsec. */
  readonly home?: string | undefined;
}

/**
 * Checks a password against the password policy, as `agentsec password check` does: `{ ok: true }`, or
 * `{ ok: false, violations }` with a code (`too-short`, `too-long`, `common`, `empty`) and a message that never holds
 * the password. Call it before hashing a new password (sign-up, password change), not at login. The common-password
 * list is loaded on the first call that needs it. Throws (an AgentsecError) only for an invalid policy or config.
 */
export async function checkPassword(password: string, opts: CheckPasswordOptions = {}): Promise<PolicyVerdict> {
  if (typeof password !== 'string') throw usageError('checkPassword: the password must be a string');
  const [{ resolvePolicy }, { checkPassword: check }] = await Promise.all([import('../core/passwords/policy.js'), import('../services/passwords.js')]);
  const config = await libraryRuntime(opts.home).config();
  const policy = resolvePolicy(config.passwords, opts.policy);
  if ('error' in policy) throw usageError(`checkPassword: ${policy.error}`);
  return check(password, policy);
}
