import { isOff, settingKey, written } from '../../rule-helpers.js';
import { fmt, type Report, type Rule } from '../../types.js';

const SWITCH = /^(?:[A-Z0-9]+_)?(?:SECURITY_HEADERS(?:_ENABLED)?|ENABLE_SECURITY_HEADERS|HELMET(?:_ENABLED)?|CSP(?:_ENABLED)?|ENABLE_CSP|HSTS(?:_ENABLED)?|ENABLE_HSTS)$/;

export const rule: Rule = {
  meta: {
    id: 'agent/security-headers-disabled',
    severity: 'medium',
    title: 'security headers switched off',
    rationale: 'Content-Security-Policy, X-Frame-Options, X-Content-Type-Options and HSTS are what keep a rendered agent answer (which may contain attacker-controlled markdown or HTML) from running script, being framed, or being downgraded to HTTP.',
    remediation: 'Keep `SECURITY_HEADERS_ENABLED=true` (or set the headers at the reverse proxy and check them with `curl -I`).',
    refs: ['https://owasp.org/www-project-secure-headers/', 'https://cwe.mitre.org/data/definitions/693.html'],
    formats: ['env', 'compose', 'settings', 'k8s'],
    messages: { off: '{setting} turns security headers off' },
  },
  check(doc) {
    const out: Report[] = [];
    for (const s of doc.settings) if (SWITCH.test(s.name) && isOff(s.value)) out.push({ message: fmt(this.meta.messages.off, { key: s.key, setting: written(s, s.value ?? ''), value: s.value ?? '' }), at: s.valueAt, key: settingKey(s) });
    return out;
  },
};
