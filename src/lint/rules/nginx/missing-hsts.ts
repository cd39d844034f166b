import { asNginx, effective, hasPlaceholder, headerNames, httpServers, isTlsServer, listenPorts, onlyReturns } from '../../nginx-helpers.js';
import { fmt, type Report, type Rule } from '../../types.js';

export const rule: Rule = {
  meta: {
    id: 'nginx/missing-hsts',
    severity: 'medium',
    title: 'TLS server without HSTS, or plain HTTP serving the app',
    rationale: 'Without Strict-Transport-Security a browser that once typed http:// can be downgraded and have its session cookie or bearer token read on the way (SSL stripping). A port-80 server that serves the application next to a TLS server (under the strict profile: at all) invites exactly that; it should only redirect.',
    remediation: 'In every TLS server add `add_header Strict-Transport-Security "max-age=63072000; includeSubDomains" always;`; make the port-80 server `return 301 https://$host$request_uri;` and nothing else.',
    refs: ['https://nginx.org/en/docs/http/ngx_http_headers_module.html#add_header', 'https://www.rfc-editor.org/rfc/rfc6797'],
    anchors: 'G-ng',
    formats: ['nginx'],
    messages: { missing: 'TLS server without a Strict-Transport-Security header', plain: 'port-80 server serves the application instead of redirecting to https' },
  },
  check(doc, ctx) {
    const d = asNginx(doc);
    if (!d) return [];
    const out: Report[] = [];
    const servers = httpServers(d);
    const anyTls = servers.some(isTlsServer);
    for (const s of servers) {
      if (hasPlaceholder(s)) continue;
      if (isTlsServer(s)) {
        if (!headerNames(effective(d, s, 'add_header')).has('strict-transport-security')) out.push({ message: fmt(this.meta.messages.missing), at: s.at, key: `hsts:${s.at.line}` });
      } else if ((anyTls || ctx.profile.name === 'strict') && listenPorts(s).includes('80') && !onlyReturns(s)) {
        out.push({ message: fmt(this.meta.messages.plain), at: s.at, key: `plain:${s.at.line}` });
      }
    }
    return out;
  },
};
