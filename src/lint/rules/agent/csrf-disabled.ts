import { isOff, isOn, settingKey, written } from '../../rule-helpers.js';
import { fmt, type Report, type Rule } from '../../types.js';

const OFF_MEANS_DISABLED = /^(?:[A-Z0-9]+_)?(?:CSRF(?:_PROTECTION)?(?:_ENABLED)?|ENABLE_CSRF(?:_PROTECTION)?|CSRF_CHECK(?:_ENABLED)?|XSRF(?:_PROTECTION)?_ENABLED)$/;
const ON_MEANS_DISABLED = /^(?:[A-Z0-9]+_)?(?:DISABLE_CSRF(?:_PROTECTION|_CHECK)?|CSRF_DISABLED|SKIP_CSRF(?:_CHECK)?)$/;

export const rule: Rule = {
  meta: {
    id: 'agent/csrf-disabled',
    severity: 'medium',
    title: 'CSRF protection switched off',
    rationale:
      'With CSRF protection off, any web page the logged-in operator visits can submit forms and API calls to the agent UI with their session cookie: create API keys, change the model or its tools, start runs. Agent UIs are cookie-authenticated web apps like any other, and their actions cost money or run code.',
    remediation: 'Keep CSRF protection on (`CSRF_ENABLED=true`, `WTF_CSRF_ENABLED=True`); exempt only token-authenticated API routes, in code, not the whole app.',
    refs: ['https://owasp.org/www-community/attacks/csrf', 'https://cheatsheetseries.owasp.org/cheatsheets/Cross-Site_Request_Forgery_Prevention_Cheat_Sheet.html', 'https://cwe.mitre.org/data/definitions/352.html'],
    formats: ['env', 'compose', 'settings', 'k8s'],
    messages: { off: '{setting} turns CSRF protection off' },
  },
  check(doc) {
    const out: Report[] = [];
    for (const s of doc.settings) {
      const v = s.value;
      if (v === undefined) continue;
      // DISABLE_CSRF=false keeps it on: the negative switches are judged by their own sense only.
      const negative = ON_MEANS_DISABLED.test(s.name);
      if ((negative && isOn(v)) || (!negative && OFF_MEANS_DISABLED.test(s.name) && isOff(v))) out.push({ message: fmt(this.meta.messages.off, { setting: written(s, v) }), at: s.valueAt, key: settingKey(s) });
    }
    return out;
  },
};
