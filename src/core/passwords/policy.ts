/**
 * The password policy: what `password hash`, `password check` and the library refuse before hashing. NIST SP
 * 800-63B is the model: a length floor, a generous ceiling, and a list of known-bad passwords — no composition
 * rules (they make passwords harder to remember, not to guess).
 */
export interface PasswordPolicy {
  /** Fewest characters (Unicode code points, as NIST counts them). */
  readonly minLength: number;
  /**
   * Most bytes of UTF-8, the form argon2 hashes. A ceiling bounds what one request makes a server read, copy and
   * hash; argon2's own cost hardly grows with the length, so this guards the input, not the memory-hard part.
   */
  readonly maxLength: number;
  /** Refuse a password on the common-password list (compared case-insensitively). */
  readonly rejectCommon: boolean;
}

/**
 * 12 characters: OWASP's floor for a password without a second factor is 8, NIST's 15 for a single factor; agent
 * servers' admin passwords guard a whole host, and 12 is where a random-word or manager-made password starts.
 * 1024 bytes: NIST asks to allow at least 64 characters; password managers stop near 100, passphrases well before
 * 1024, so no real password meets the ceiling while a megabyte body does.
 */
export const DEFAULT_POLICY: PasswordPolicy = Object.freeze({ minLength: 12, maxLength: 1024, rejectCommon: true });

/** Bounds for the knobs, so a policy can be relaxed but never made meaningless or unbounded. */
export const POLICY_LIMITS = Object.freeze({ minLength: { min: 1, max: 1024 }, maxLength: { min: 8, max: 65536 } });

export type PolicyViolationCode = 'too-short' | 'too-long' | 'common' | 'empty';

export interface PolicyViolation {
  readonly code: PolicyViolationCode;
  /** Says why without the password itself (its length at most). */
  readonly message: string;
}

export type PolicyVerdict = { readonly ok: true } | { readonly ok: false; readonly violations: readonly PolicyViolation[] };

/** A lookup of common passwords, lower-cased (see services/passwords.ts for where the list comes from). */
export type CommonPasswords = { has(lowerCased: string): boolean };

function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/**
 * Checks a password against a policy. Every violation is reported (a short common password is both), and none
 * echoes the password. `common` is consulted only when the policy rejects common passwords and the length is
 * within bounds (a password over the ceiling is never lower-cased or looked up). Pure.
 */
export function checkPasswordPolicy(password: string, policy: PasswordPolicy, common?: CommonPasswords): PolicyVerdict {
  const violations: PolicyViolation[] = [];
  const bytes = Buffer.byteLength(password, 'utf8');
  if (bytes > policy.maxLength) {
    return { ok: false, violations: [{ code: 'too-long', message: `the password is ${bytes} bytes; the policy allows at most ${policy.maxLength}` }] };
  }
  if (password.length === 0) return { ok: false, violations: [{ code: 'empty', message: 'the password is empty' }] };
  const chars = codePoints(password);
  if (chars < policy.minLength) violations.push({ code: 'too-short', message: `the password is ${chars} characters; the policy needs at least ${policy.minLength}` });
  if (policy.rejectCommon && common?.has(password.toLowerCase())) {
    violations.push({ code: 'common', message: 'the password is on the list of common passwords, which attackers try first' });
  }
  return violations.length === 0 ? { ok: true } : { ok: false, violations };
}

/** Whether checking needs the common-password list (so callers load it only then). */
export function needsCommonList(policy: PasswordPolicy): boolean {
  return policy.rejectCommon;
}

/** A partial policy, as config.yaml's `passwords:` or `--policy` give it. */
export type PolicyOverrides = { -readonly [K in keyof PasswordPolicy]?: PasswordPolicy[K] | undefined };

export type ParsedPolicyFlags = { readonly ok: true; readonly overrides: PolicyOverrides } | { readonly ok: false; readonly message: string };

function boundedInt(text: string, lo: number, hi: number): number | undefined {
  if (!/^\d{1,6}$/.test(text)) return undefined;
  const n = Number(text);
  return n >= lo && n <= hi ? n : undefined;
}

/**
 * `--policy` values: `min-length=N`, `max-length=N` (bytes), `common=allow|refuse`, and `off` (min-length 1 and
 * common passwords allowed, for hashing passwords that already exist elsewhere). The maximum length stays even
 * with `off`: it protects the host, not the account. Later values win. Pure.
 */
export function parsePolicyFlags(values: readonly string[]): ParsedPolicyFlags {
  const o: PolicyOverrides = {};
  for (const v of values) {
    if (v === 'off') {
      o.minLength = POLICY_LIMITS.minLength.min;
      o.rejectCommon = false;
      continue;
    }
    const eq = v.indexOf('=');
    const k = eq < 0 ? v : v.slice(0, eq);
    const val = eq < 0 ? '' : v.slice(eq + 1);
    if (k === 'min-length') {
      const n = boundedInt(val, POLICY_LIMITS.minLength.min, POLICY_LIMITS.minLength.max);
      if (n === undefined) return { ok: false, message: `min-length must be a whole number from ${POLICY_LIMITS.minLength.min} to ${POLICY_LIMITS.minLength.max}` };
      o.minLength = n;
    } else if (k === 'max-length') {
      const n = boundedInt(val, POLICY_LIMITS.maxLength.min, POLICY_LIMITS.maxLength.max);
      if (n === undefined) return { ok: false, message: `max-length must be a whole number of bytes from ${POLICY_LIMITS.maxLength.min} to ${POLICY_LIMITS.maxLength.max}` };
      o.maxLength = n;
    } else if (k === 'common') {
      if (val !== 'allow' && val !== 'refuse') return { ok: false, message: 'common must be allow or refuse' };
      o.rejectCommon = val === 'refuse';
    } else {
      return { ok: false, message: `'${v.slice(0, 40)}' is not a policy setting: use min-length=N, max-length=N, common=allow|refuse or off` };
    }
  }
  return { ok: true, overrides: o };
}

/** The policy in force: defaults, then config.yaml, then flags. Refuses a maximum below the minimum. Pure. */
export function resolvePolicy(...layers: ReadonlyArray<PolicyOverrides | undefined>): PasswordPolicy | { readonly error: string } {
  const p: { -readonly [K in keyof PasswordPolicy]: PasswordPolicy[K] } = { ...DEFAULT_POLICY };
  for (const l of layers) {
    if (!l) continue;
    if (l.minLength !== undefined) p.minLength = l.minLength;
    if (l.maxLength !== undefined) p.maxLength = l.maxLength;
    if (l.rejectCommon !== undefined) p.rejectCommon = l.rejectCommon;
  }
  if (p.minLength > p.maxLength) return { error: `min-length ${p.minLength} is above max-length ${p.maxLength}` };
  return p;
}
