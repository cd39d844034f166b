import { looksLikePath, settingKey } from '../../rule-helpers.js';
import { secretsIn, urlPassword } from '../../secret-values.js';
import { fmt, type Report, type Rule } from '../../types.js';

export const rule: Rule = {
  meta: {
    id: 'compose/literal-secret-env',
    severity: 'high',
    title: 'secret written as a literal in environment:',
    rationale: 'A secret typed into the compose file is committed with it, shown by `docker inspect` and `docker compose config`, and shared with everyone who can read the repository. Compose interpolation (`${NAME}`) from an uncommitted .env, or Compose `secrets:`, keeps it out.',
    remediation: 'Replace the value with `${NAME}` and put the value in a git-ignored .env, or use `secrets:` with a file mounted at /run/secrets.',
    refs: ['https://docs.docker.com/compose/how-tos/use-secrets/', 'https://cwe.mitre.org/data/definitions/798.html'],
    formats: ['compose'],
    messages: { literal: 'service {service} sets {key} to a literal secret', url: 'service {service} writes a literal password in the URL of {key}' },
  },
  check(doc) {
    if (doc.format !== 'compose') return [];
    const out: Report[] = [];
    for (const s of doc.settings) {
      if (s.raw === undefined || s.raw.trim() === '' || looksLikePath(s.raw)) continue;
      // A URL may interpolate its host and still spell the password out (`postgres://app:letta@${DB_HOST}/app`).
      const secrets = s.interpolated ? (urlPassword(s.raw) !== undefined ? [{ via: 'url' as const }] : []) : secretsIn(s, s.raw).filter((x) => x.value.trim() !== '');
      const first = secrets[0];
      if (!first) continue;
      out.push({ message: fmt(first.via === 'url' ? this.meta.messages.url : this.meta.messages.literal, { service: s.service ?? '', key: s.key }), at: s.valueAt, key: settingKey(s) });
    }
    return out;
  },
};
