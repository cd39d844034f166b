import { isSecretKeyName } from '../../../core/secrets/names.js';
import { looksLikePath, settingKey } from '../../rule-helpers.js';
import { nonSecretValue } from '../../secret-values.js';
import { fmt, type Report, type Rule } from '../../types.js';

/** A URL default with a password in it (`postgresql://user:pass@host`). */
const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^:/@\s]+:[^@/\s]+@/i;

export const rule: Rule = {
  meta: {
    id: 'compose/secret-inline-default',
    severity: 'high',
    title: 'secret given an inline default (${SECRET:-literal})',
    rationale: 'A default after `:-` is used whenever the variable is unset, so a deploy that forgets the .env silently runs with the value committed in the compose file (langfuse `NEXTAUTH_SECRET:-mysecret`, letta `LETTA_PG_PASSWORD:-letta`). Connection URLs with an embedded password have the same problem.',
    remediation: 'Use `${SECRET:?set SECRET in .env}` so Compose refuses to start without it, or `${SECRET}` with the value in a git-ignored .env.',
    refs: ['https://docs.docker.com/reference/compose-file/interpolation/'],
    formats: ['compose'],
    messages: { secret: '{key} defaults to a literal secret when {name} is unset', url: '{key} defaults to a URL with an embedded password when {name} is unset' },
  },
  check(doc) {
    if (doc.format !== 'compose') return [];
    const out: Report[] = [];
    for (const s of doc.settings) {
      for (const d of s.defaults) {
        const text = d.text.trim();
        // `${PASSWORD_RESET_MIN_RESPONSE_MS:-250}`: a number, a boolean or a duration is a limit or a switch, not a secret.
        if (text === '' || text.startsWith('$') || looksLikePath(text) || nonSecretValue(s.name, text)) continue;
        if (isSecretKeyName(s.name) || isSecretKeyName(d.name)) {
          if (!text.includes('${')) out.push({ message: fmt(this.meta.messages.secret, { key: s.key, name: d.name }), at: d.at, key: `${settingKey(s)}:${d.name}` });
        } else if (URL_WITH_PASSWORD.test(text)) {
          out.push({ message: fmt(this.meta.messages.url, { key: s.key, name: d.name }), at: d.at, key: `${settingKey(s)}:${d.name}` });
        }
      }
    }
    return out;
  },
};
