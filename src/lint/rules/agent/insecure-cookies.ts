import { isInternalHost, isOff, isOn, settingKey, urlHost, written } from '../../rule-helpers.js';
import { fmt, type Report, type Rule } from '../../types.js';

const SECURE = /^(?:[A-Z0-9]+_)?(?:SESSION_COOKIE_SECURE|COOKIE_SECURE|SECURE_COOKIES?|CSRF_COOKIE_SECURE|USE_SECURE_COOKIES)$/;
/** HttpOnly off lets any script of the page (an XSS, injected model output) read the session cookie. CSRF tokens are read by scripts on purpose. */
const HTTP_ONLY = /^(?:[A-Z0-9]+_)?(?:SESSION_COOKIE_HTTP_?ONLY|COOKIE_HTTP_?ONLY|AUTH_COOKIE_HTTP_?ONLY|HTTP_?ONLY_COOKIES?)$/;
const SAME_SITE = /^(?:[A-Z0-9]+_)?(?:SESSION_COOKIE_SAME_?SITE|COOKIE_SAME_?SITE|AUTH_COOKIE_SAME_?SITE|SAME_?SITE(?:_COOKIES?)?)$/;
const AUTH_URL = /^(?:NEXTAUTH_URL|AUTH_URL|NEXTAUTH_URL_INTERNAL_PUBLIC|PUBLIC_URL|WEBUI_URL|APP_URL|DOMAIN_SERVER|DOMAIN_CLIENT)$/;

export const rule: Rule = {
  meta: {
    id: 'agent/insecure-cookies',
    severity: 'medium',
    title: 'session cookies without Secure or HttpOnly, or sent over plain HTTP',
    rationale: 'A session cookie without the Secure flag, or an auth callback URL on http://, travels in clear text and can be stolen on any network between the user and the server, giving the thief the user\'s agent session. Without HttpOnly any script on the page reads it, and agent UIs render model output an attacker can steer. SameSite=None sends it on every cross-site request, which browsers only accept together with Secure.',
    remediation: 'Set `SESSION_COOKIE_SECURE=true` and `SESSION_COOKIE_HTTPONLY=true`, keep SameSite at Lax or Strict (None only with Secure, for a real cross-site need), and serve the public URL over https (`NEXTAUTH_URL=https://…`); plain http is fine only for localhost.',
    refs: ['https://cwe.mitre.org/data/definitions/614.html', 'https://cwe.mitre.org/data/definitions/1004.html', 'https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/Set-Cookie', 'https://next-auth.js.org/configuration/options#nextauth_url'],
    formats: ['env', 'compose', 'settings', 'k8s'],
    messages: { flag: '{setting} sends session cookies without the Secure flag', url: '{key} is plain http:// to {host}', httpOnly: '{setting} lets page scripts read the session cookie', sameSite: '{setting} without the Secure flag: the session cookie goes with every cross-site request, over plain HTTP too' },
  },
  check(doc) {
    const out: Report[] = [];
    for (const s of doc.settings) {
      const v = s.value;
      if (v === undefined) continue;
      if (SECURE.test(s.name) && isOff(v)) out.push({ message: fmt(this.meta.messages.flag, { key: s.key, setting: written(s, v), value: v }), at: s.valueAt, key: settingKey(s) });
      else if (HTTP_ONLY.test(s.name) && !/(?:^|_)X?CSRF_/.test(s.name) && isOff(v)) out.push({ message: fmt(this.meta.messages.httpOnly, { setting: written(s, v) }), at: s.valueAt, key: settingKey(s) });
      else if (SAME_SITE.test(s.name) && /^none$/i.test(v.trim()) && !doc.settings.some((o) => o.service === s.service && SECURE.test(o.name) && isOn(o.value))) out.push({ message: fmt(this.meta.messages.sameSite, { setting: written(s, v) }), at: s.valueAt, key: settingKey(s) });
      else if (AUTH_URL.test(s.name)) {
        const u = urlHost(v);
        if (u?.scheme === 'http' && !isInternalHost(u.host)) out.push({ message: fmt(this.meta.messages.url, { key: s.key, host: u.host }), at: s.valueAt, key: settingKey(s) });
      }
    }
    return out;
  },
};
