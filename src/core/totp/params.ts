/** TOTP parameters agentsec enrolls with, and the shapes of what users type. Pure. */

export const ALGORITHMS = ['SHA1', 'SHA256', 'SHA512'] as const;
export type TotpAlgorithm = (typeof ALGORITHMS)[number];
export const DIGITS = [6, 8] as const;
export type TotpDigits = (typeof DIGITS)[number];

/**
 * Seed length per algorithm: the HMAC's output size, as RFC 6238 appendix B uses (20/32/64 bytes) and RFC 4226 §4
 * asks (at least 128 bits, 160 recommended). A longer key than the hash block would be hashed first, a shorter one
 * wastes the hash's strength.
 */
export const SEED_BYTES: Readonly<Record<TotpAlgorithm, number>> = { SHA1: 20, SHA256: 32, SHA512: 64 };

export const DEFAULT_PERIOD = 30;
/** Periods outside this range are either too short to type or give an attacker too long a code. */
export const MIN_PERIOD = 15;
export const MAX_PERIOD = 120;
export const DEFAULT_WINDOW = 1;
export const MAX_WINDOW = 2;

export interface TotpParams {
  readonly algorithm: TotpAlgorithm;
  readonly digits: TotpDigits;
  readonly period: number;
}

export const DEFAULT_PARAMS: TotpParams = { algorithm: 'SHA1', digits: 6, period: DEFAULT_PERIOD };

/** User names: what a login form or an email gives, nothing that could break a table, a URI label or a terminal. */
export const USER_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$/;
/** Issuer names appear in the authenticator app; printable, no ':' (the otpauth label separator). */
export const ISSUER_PATTERN = /^[A-Za-z0-9][A-Za-z0-9 ._@+&()-]{0,63}$/;

export const TOTP_CODE_PATTERN = /^(\d{6}|\d{8})$/;

export type CodeShape = { kind: 'totp'; code: string } | { kind: 'backup'; code: string } | { kind: 'malformed'; reason: string };

/** Backup codes: 10 characters of this alphabet, shown as xxxxx-xxxxx (no 0/o, 1/l/i to misread). */
export const BACKUP_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
export const BACKUP_CODE_LENGTH = 10;
const BACKUP_PATTERN = new RegExp(`^[${BACKUP_ALPHABET}]{5}-?[${BACKUP_ALPHABET}]{5}$`);

/**
 * Classifies what a user typed, before anything touches otplib (which throws on malformed tokens): a 6 or 8 digit
 * TOTP code, a backup code (case-insensitive, dash optional), or malformed with the reason. Whitespace is refused,
 * not trimmed: the caller already removed the one final newline a pipe adds.
 */
export function classifyCode(text: string): CodeShape {
  if (text.length === 0) return { kind: 'malformed', reason: 'it is empty' };
  if (/\s/.test(text)) return { kind: 'malformed', reason: 'it contains whitespace' };
  if (text.length > 32) return { kind: 'malformed', reason: 'it is too long' };
  if (/^\d+$/.test(text)) {
    return TOTP_CODE_PATTERN.test(text) ? { kind: 'totp', code: text } : { kind: 'malformed', reason: `a code has 6 or 8 digits, not ${text.length}` };
  }
  const lower = text.toLowerCase();
  if (BACKUP_PATTERN.test(lower)) return { kind: 'backup', code: lower.replace('-', '') };
  return { kind: 'malformed', reason: 'it is neither a 6/8-digit code nor a backup code (xxxxx-xxxxx)' };
}
