/**
 * Passwords: argon2id hashing with the house presets, and verification that also says when a stored hash is below
 * the wanted preset. The caller reads the password (stdin, a prompt, a request body); nothing here prints.
 */
import { AgentsecError, ExitCode, usageError } from '../core/errors.js';
import { parsePhc, PRESETS, rehashReasons, type PhcInfo, type PresetName } from '../core/passwords/argon2-params.js';
import { checkPasswordPolicy, needsCommonList, type CommonPasswords, type PasswordPolicy, type PolicyVerdict } from '../core/passwords/policy.js';

/** Where the common-password list comes from, for messages and docs. */
export const COMMON_PASSWORDS_SOURCE = '@zxcvbn-ts/language-common';

let common: Promise<CommonPasswords> | undefined;

/**
 * The common-password list of `@zxcvbn-ts/language-common` (about 49,000 passwords from breach corpora, kept with
 * zxcvbn-ts), lower-cased into a Set. Loaded on first use only: its ~60 ms of parsing must never reach the
 * start-up of commands that do not check a password. Kept for the life of the process.
 */
export function commonPasswords(): Promise<CommonPasswords> {
  common ??= (async () => {
    const m = (await import('@zxcvbn-ts/language-common')) as unknown as { dictionary?: Record<string, string[]>; default?: { dictionary: Record<string, string[]> } };
    const list = (m.dictionary ?? m.default?.dictionary)?.['passwords-common'];
    if (!Array.isArray(list) || list.length < 1000) throw new AgentsecError(`the common-password list of ${COMMON_PASSWORDS_SOURCE} could not be read: reinstall agentsec`, ExitCode.Runtime);
    return new Set(list.map((p) => p.toLowerCase()));
  })();
  common.catch(() => (common = undefined));
  return common;
}

/** Checks a password against the policy, loading the common-password list only when the policy uses it. */
export async function checkPassword(password: string, policy: PasswordPolicy): Promise<PolicyVerdict> {
  return checkPasswordPolicy(password, policy, needsCommonList(policy) ? await commonPasswords() : undefined);
}

export interface Hashed {
  /** The PHC string ($argon2id$v=19$m=…,t=…,p=…$salt$hash). */
  readonly hash: string;
  readonly preset: PresetName;
  readonly params: (typeof PRESETS)[PresetName];
}

export async function hashPassword(password: string, preset: PresetName): Promise<Hashed> {
  const argon2 = await import('argon2');
  const params = PRESETS[preset];
  return { hash: await argon2.hash(password, { type: argon2.argon2id, ...params }), preset, params };
}

export interface PasswordCheck {
  readonly match: boolean;
  /** The stored hash is below `preset`: rehash at the next successful login. */
  readonly needsRehash: boolean;
  readonly rehashReasons: string[];
  readonly params: PhcInfo;
}

/** The parameters of an argon2 PHC string, or a usage error naming where it came from. */
export function requirePhc(phc: string, from: string): PhcInfo {
  const info = parsePhc(phc);
  if (!info) throw usageError(`${from} is not an argon2 PHC string ($argon2id$v=19$m=...,t=...,p=...$salt$hash)`);
  return info;
}

/**
 * Checks a password against a PHC hash. `from` names where the hash came from, for the error when it is not a
 * usable argon2 PHC string (a usage error: the caller's input, not a verdict).
 */
export async function verifyPassword(phc: string, password: string, preset: PresetName, from: string): Promise<PasswordCheck> {
  const info = requirePhc(phc, from);
  const argon2 = await import('argon2');
  let match: boolean;
  try {
    match = await argon2.verify(phc, password);
  } catch (err) {
    throw new AgentsecError(`${from} could not be used to verify: it is malformed`, ExitCode.Usage, { cause: err });
  }
  const reasons = rehashReasons(info, PRESETS[preset]);
  return { match, needsRehash: reasons.length > 0, rehashReasons: reasons, params: info };
}
