import { allDirectives, asNginx } from '../../nginx-helpers.js';
import { fmt, type Report, type Rule } from '../../types.js';

export const rule: Rule = {
  meta: {
    id: 'nginx/host-spoofing',
    severity: 'medium',
    title: 'upstream Host taken from the client\'s Host header',
    rationale: '`$http_host` is whatever the client sent, unchecked against server_name. Apps that build password-reset links, OAuth redirect URIs or absolute URLs from Host then send users to an attacker\'s domain (host header injection, cache poisoning).',
    remediation: 'Use `proxy_set_header Host $host;` (the matched server name, normalised) and keep a default server that rejects unknown hosts.',
    refs: ['https://github.com/yandex/gixy/blob/master/docs/en/plugins/hostspoofing.md'],
    anchors: 'G',
    formats: ['nginx'],
    messages: { spoof: 'proxy_set_header {header} $http_host passes the client\'s unchecked Host upstream' },
  },
  check(doc) {
    const d = asNginx(doc);
    if (!d) return [];
    const out: Report[] = [];
    for (const x of allDirectives(d)) {
      if (x.name !== 'proxy_set_header' || x.args.length < 2) continue;
      const h = x.args[0]?.value ?? '';
      if (/^(?:host|x-forwarded-host)$/i.test(h) && /\$\{?http_host\b/.test(x.args[1]?.value ?? '')) out.push({ message: fmt(this.meta.messages.spoof, { header: h }), at: x.args[1]?.at ?? x.at, key: `${h}:${x.at.line}` });
    }
    return out;
  },
};
