import { isKnownDefaultSecret } from '../../../core/secrets/weak.js';
import { looksLikePath } from '../../rule-helpers.js';
import { secretsIn } from '../../secret-values.js';
import { fmt, type Report, type Rule } from '../../types.js';

export const rule: Rule = {
  meta: {
    id: 'env/committed-secrets',
    severity: 'high',
    title: 'deploy .env holds secret values',
    rationale: 'A deploy `.env` (as opposed to a `.env.example`) with real secret values is one `git add .` or one `COPY . .` away from a public repository or an image layer. Keep it out of version control and the build context, or move the values to a secrets manager. A `.env` that git ignores is the deployed file on a server, where secrets belong: every other rule checks it, this one does not. The finding says the file holds secrets, and never prints them.',
    remediation: 'Make sure `.env` is in `.gitignore` and `.dockerignore`, commit a `.env.example` with empty values instead, and rotate any value that was ever committed.',
    refs: ['https://cwe.mitre.org/data/definitions/540.html', 'https://docs.docker.com/compose/how-tos/environment-variables/variable-interpolation/#env-file'],
    formats: ['env'],
    messages: { secret: '{key} holds a secret value in a deploy .env', url: '{key} holds a password in its URL in a deploy .env' },
  },
  check(doc) {
    // A git-ignored .env is the deployed file on a server: it holds secrets by design and is never committed.
    if (doc.format !== 'env' || doc.example || doc.gitIgnored) return [];
    const out: Report[] = [];
    for (const s of doc.settings) {
      const v = s.raw;
      if (v === undefined || v.trim() === '' || s.interpolated) continue;
      // Booleans and numbers under secret-like names (CORS_ALLOW_CREDENTIALS=true) are settings, not secrets.
      const secret = secretsIn(s, v).find((x) => x.value.trim() !== '' && !isKnownDefaultSecret(x.value) && !looksLikePath(x.value));
      if (!secret) continue;
      out.push({ message: fmt(secret.via === 'url' ? this.meta.messages.url : this.meta.messages.secret, { key: s.key }), at: s.valueAt, key: s.key });
    }
    return out;
  },
};
