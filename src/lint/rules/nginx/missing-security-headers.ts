import { asNginx, effective, hasPlaceholder, headerNames, httpServers, onlyReturns } from '../../nginx-helpers.js';
import { fmt, type Report, type Rule } from '../../types.js';

export const rule: Rule = {
  meta: {
    id: 'nginx/missing-security-headers',
    severity: 'low',
    title: 'server without basic security headers',
    rationale: 'Agent web UIs render model output, which an attacker can steer (prompt injection). X-Content-Type-Options stops MIME sniffing, X-Frame-Options or CSP frame-ancestors stops clickjacking of the chat UI, and a Content-Security-Policy limits what injected markup can load or send.',
    remediation: 'Add `add_header X-Content-Type-Options nosniff always;`, `add_header X-Frame-Options DENY always;` and a `Content-Security-Policy` at the server (or http) level.',
    refs: ['https://owasp.org/www-project-secure-headers/', 'https://nginx.org/en/docs/http/ngx_http_headers_module.html#add_header'],
    formats: ['nginx'],
    messages: { missing: 'server sends no {headers}' },
  },
  check(doc) {
    const d = asNginx(doc);
    if (!d) return [];
    const out: Report[] = [];
    for (const s of httpServers(d)) {
      if (hasPlaceholder(s) || onlyReturns(s)) continue;
      const hs = effective(d, s, 'add_header');
      const names = headerNames(hs);
      const csp = hs.find((h) => (h.args[0]?.value ?? '').toLowerCase() === 'content-security-policy');
      const missing: string[] = [];
      if (!names.has('x-content-type-options')) missing.push('X-Content-Type-Options');
      if (!names.has('x-frame-options') && !/frame-ancestors/i.test(csp?.args[1]?.value ?? '')) missing.push('X-Frame-Options');
      if (!csp) missing.push('Content-Security-Policy');
      if (missing.length > 0) out.push({ message: fmt(this.meta.messages.missing, { headers: missing.join(', ') }), at: s.at, key: `${s.at.line}:${missing.join(',')}` });
    }
    return out;
  },
};
