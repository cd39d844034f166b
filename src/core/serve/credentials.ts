/**
 * The credentials of `agentsec serve`'s machine-facing APIs: app tokens (the app API, `Authorization: Bearer`) and
 * bouncer keys (the CrowdSec-compatible decision API, `X-Api-Key`). Both have the API-key shape
 * (`<prefix>_<43 base62>_<6 base62 CRC>`, about 256 bits) with a prefix per kind, so a leaked one is recognisable by
 * sight and by `keys scan`, and a typo is caught offline by its checksum.
 */
import { generateApiKey, parseApiKey } from '../apikeys/format.js';
import type { RandomSource } from '../crypto/seal.js';

export const APP_TOKEN_PREFIX = 'agsapp';
export const BOUNCER_KEY_PREFIX = 'agsbouncer';
/** The HKDF purpose of the subkey the HMAC of every serve credential is taken under (distinct from API keys'). */
export const SERVE_CREDENTIALS_HMAC_PURPOSE = 'agentsec.serve-credentials.hmac.v1';

/** What an app token may call, one scope per app API operation. */
export const APP_SCOPES = ['keys:verify', 'jwt:verify', 'totp:verify', 'blocks:record', 'blocks:check', 'audit:append'] as const;
export type AppScope = (typeof APP_SCOPES)[number];

/** True when `s` names one of {@link APP_SCOPES}. */
export function isAppScope(s: string): s is AppScope {
  return (APP_SCOPES as readonly string[]).includes(s);
}

/** Names address credentials in the commands and appear in logs: short, printable, no spaces. */
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Null when `name` is a valid credential name, else why not. */
export function credentialNameProblem(name: string): string | null {
  return NAME_PATTERN.test(name) ? null : 'use 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit';
}

/** A new secret for `kind`. */
export function generateCredential(kind: 'app' | 'bouncer', random: RandomSource): string {
  return generateApiKey(kind === 'app' ? APP_TOKEN_PREFIX : BOUNCER_KEY_PREFIX, random);
}

/**
 * True when `text` has the shape and checksum of a credential of `kind`: anything else is refused without a store
 * lookup (random garbage in a header costs no query).
 */
export function looksLikeCredential(kind: 'app' | 'bouncer', text: string): boolean {
  const p = parseApiKey(text);
  return p.ok && p.key.prefix === (kind === 'app' ? APP_TOKEN_PREFIX : BOUNCER_KEY_PREFIX);
}

/** The form shown in lists: the prefix and the last four characters (of the public checksum). */
export function credentialDisplay(kind: 'app' | 'bouncer', last4: string): string {
  return `${kind === 'app' ? APP_TOKEN_PREFIX : BOUNCER_KEY_PREFIX}_…${last4}`;
}
