import { isInternalHost, isOff, settingKey, urlHost, written } from '../../rule-helpers.js';
import { fmt, type Report, type Rule } from '../../types.js';

const SECURE = /^(?:[A-Z0-9]+_)?(?:SESSION_COOKIE_SECURE|COOKIE_SECURE|SECURE_COOKIES?|CSRF_COOKIE_SECURE|USE_SECURE_COOKIES)$/;
const AUTH_URL = /^(?:NEXTAUTH_URL|AUTH_URL|NEXTAUTH_URL_INTERNAL_PUBLIC|PUBLIC_URL|WEBUI_URL|APP_URL|DOMAIN_SERVER|DOMAIN_CLIENT)$/;

export const rule: Rule = {
  meta: {
    id: 'agent/insecure-cookies',
    severity: 'medium',
    title: 'session cookies sent over plain HTTP',
    rationale: 'A session cookie without the Secure flag, or an auth callback URL on http://, travels in clear text and can be stolen on any network between the user and the server, giving the thief the user\'s agent session.',
    remediation: 'Set `SESSION_COOKIE_SECURE=true` and serve the public URL over https (`NEXTAUTH_URL=https://…`); plain http is fine only for localhost.',
    refs: ['https://cwe.mitre.org/data/definitions/614.html', 'https://next-auth.js.org/configuration/options#nextauth_url'],
    formats: ['env', 'compose', 'settings', 'k8s'],
    messages: { flag: '{setting} sends session cookies without the Secure flag', url: '{key} is plain http:// to {host}' },
  },
  check(doc) {
    const out: Report[] = [];
    for (const s of doc.settings) {
      const v = s.value;
      if (v === undefined) continue;
      if (SECURE.test(s.name) && isOff(v)) out.push({ message: fmt(this.meta.messages.flag, { key: s.key, setting: written(s, v), value: v }), at: s.valueAt, key: settingKey(s) });
      else if (AUTH_URL.test(s.name)) {
        const u = urlHost(v);
        if (u?.scheme === 'http' && !isInternalHost(u.host)) out.push({ message: fmt(this.meta.messages.url, { key: s.key, host: u.host }), at: s.valueAt, key: settingKey(s) });
      }
    }
    return out;
  },
};
