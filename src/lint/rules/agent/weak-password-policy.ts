import { settingKey, written } from '../../rule-helpers.js';
import { fmt, type Report, type Rule } from '../../types.js';

const MIN_LENGTH = /^(?:[A-Z0-9]+_)?(?:PASSWORD_MIN(?:IMUM)?_LENGTH|MIN(?:IMUM)?_PASSWORD_LENGTH|PASSWORD_LENGTH_MIN)$/;
const HASH = /^(?:[A-Z0-9]+_)?PASSWORD_HASH(?:ING|ER)?(?:_ALGORITHM|_ALGO|_SCHEME)?$|^HASH(?:ING)?_ALGORITHM$/;
const WEAK_HASH = /^(?:bcrypt|md5|sha-?1|sha-?256|sha-?512|plain(?:text)?|none|pbkdf2(?:[-_]sha\d+)?|crypt|des|argon2i|argon2d)$/i;

export const rule: Rule = {
  meta: {
    id: 'agent/weak-password-policy',
    severity: 'medium',
    title: 'weak password policy or password hashing',
    rationale:
      'NIST SP 800-63B and OWASP ask for at least 12–15 characters where passwords are the only factor. Fast hashes (MD5, SHA-*) fall to GPU cracking, and bcrypt truncates at 72 bytes and is not memory-hard; argon2id is the current recommendation.',
    remediation: 'Set the minimum length to 12 or more and hash with argon2id (as `agentsec password` does).',
    refs: ['https://pages.nist.gov/800-63-4/sp800-63b.html', 'https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html'],
    formats: ['env', 'compose', 'settings', 'k8s'],
    messages: { short: '{setting} allows passwords shorter than 12 characters', hash: '{setting} where argon2id is expected' },
  },
  check(doc) {
    const out: Report[] = [];
    for (const s of doc.settings) {
      const v = s.value?.trim();
      if (v === undefined) continue;
      if (MIN_LENGTH.test(s.name) && /^\d+$/.test(v) && Number(v) < 12) out.push({ message: fmt(this.meta.messages.short, { key: s.key, setting: written(s, v), value: v }), at: s.valueAt, key: settingKey(s) });
      else if (HASH.test(s.name) && WEAK_HASH.test(v)) out.push({ message: fmt(this.meta.messages.hash, { key: s.key, setting: written(s, v), value: v }), at: s.valueAt, key: settingKey(s) });
    }
    return out;
  },
};
