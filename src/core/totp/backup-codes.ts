import { BACKUP_ALPHABET, BACKUP_CODE_LENGTH } from './params.js';

export const BACKUP_CODE_COUNT = 10;

/**
 * One backup code: 10 characters from a 31-letter alphabet (about 49 bits), drawn without modulo bias by rejecting
 * bytes at or above the largest multiple of the alphabet size. Returned without the dash, as stored and compared.
 */
export function generateBackupCode(random: (bytes: number) => Buffer): string {
  const n = BACKUP_ALPHABET.length;
  const limit = 256 - (256 % n);
  let out = '';
  while (out.length < BACKUP_CODE_LENGTH) {
    for (const b of random(16)) {
      if (b < limit && out.length < BACKUP_CODE_LENGTH) out += BACKUP_ALPHABET[b % n];
    }
  }
  return out;
}

/** Ten distinct backup codes. */
export function generateBackupCodes(random: (bytes: number) => Buffer, count = BACKUP_CODE_COUNT): string[] {
  const codes = new Set<string>();
  while (codes.size < count) codes.add(generateBackupCode(random));
  return [...codes];
}

/** How a backup code is shown: xxxxx-xxxxx. */
export function formatBackupCode(code: string): string {
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}
