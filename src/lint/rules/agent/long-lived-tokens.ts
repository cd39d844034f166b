import { durationMinutes, settingKey, written } from '../../rule-helpers.js';
import { fmt, type Report, type Rule } from '../../types.js';

const ACCESS = /^(?:JWT_(?:ACCESS_)?(?:EXPIRES_IN|EXPIRY|EXPIRATION|TTL|LIFETIME)(?:_(?:SECONDS|MINUTES|HOURS|MS))?|ACCESS_TOKEN_(?:TTL|EXPIRY|EXPIRES_IN|EXPIRE|EXPIRATION|LIFETIME)(?:_(?:SECONDS|MINUTES|HOURS|MS))?|ACCESS_TOKEN_EXPIRE_MINUTES|TOKEN_EXPIRES_IN|JWT_EXPIRE_MINUTES)$/;
const SESSION_HOURS = /^SESSION_TIMEOUT_HOURS$|^SESSION_(?:TTL|LIFETIME|MAX_AGE|EXPIRY)_HOURS$/;

export const rule: Rule = {
  meta: {
    id: 'agent/long-lived-tokens',
    severity: 'medium',
    title: 'access tokens or sessions live too long',
    rationale:
      'A stolen bearer token works until it expires; agents leak tokens into logs, prompts and tool output. Short access tokens (15 minutes under the strict profile, at most an hour by default) with refresh limit the window; sessions beyond 24 hours outlive any reasonable working day.',
    remediation: 'Set the access-token lifetime to 15m (`JWT_EXPIRES_IN=15m`) and renew with refresh tokens; keep `SESSION_TIMEOUT_HOURS` at 24 or less.',
    refs: ['https://cheatsheetseries.owasp.org/cheatsheets/JSON_Web_Token_for_Java_Cheat_Sheet.html', 'https://cwe.mitre.org/data/definitions/613.html'],
    formats: ['env', 'compose', 'settings', 'k8s'],
    messages: { token: '{setting} keeps access tokens valid longer than {max} minutes', session: '{setting} keeps sessions longer than 24 hours' },
  },
  check(doc, ctx) {
    const out: Report[] = [];
    const max = ctx.profile.maxAccessTokenMinutes;
    for (const s of doc.settings) {
      const v = s.value;
      if (v === undefined) continue;
      if (ACCESS.test(s.name)) {
        const name = s.name === 'ACCESS_TOKEN_EXPIRE_MINUTES' || s.name === 'JWT_EXPIRE_MINUTES' ? `${s.name}_MINUTES` : s.name;
        const minutes = durationMinutes(v, name);
        if (minutes !== undefined && (minutes > max || minutes === 0)) out.push({ message: fmt(this.meta.messages.token, { key: s.key, setting: written(s, v), value: v, max }), at: s.valueAt, key: settingKey(s) });
      } else if (SESSION_HOURS.test(s.name) && /^\d+(?:\.\d+)?$/.test(v.trim()) && Number(v) > 24) {
        out.push({ message: fmt(this.meta.messages.session, { key: s.key, setting: written(s, v), value: v }), at: s.valueAt, key: settingKey(s) });
      }
    }
    return out;
  },
};
