import { allDirectives, asNginx, effective } from '../../nginx-helpers.js';
import { fmt, type Report, type Rule } from '../../types.js';

export const rule: Rule = {
  meta: {
    id: 'nginx/autoindex-or-status',
    severity: 'medium',
    title: 'directory listing or status page open to everyone',
    rationale: '`autoindex on` lists every file of a directory: uploads, backups, a stray .env. An unrestricted `stub_status` tells anyone the connection counts, which helps time a resource-exhaustion attack.',
    remediation: 'Remove `autoindex on`; restrict `stub_status` with `allow 127.0.0.1; deny all;` in its location (or serve it on a loopback-only listener).',
    refs: ['https://nginx.org/en/docs/http/ngx_http_autoindex_module.html', 'https://nginx.org/en/docs/http/ngx_http_stub_status_module.html', 'https://www.cisecurity.org/benchmark/nginx'],
    anchors: 'CIS NGINX',
    formats: ['nginx'],
    messages: { autoindex: 'autoindex on: directory listings are public', status: '{name} is not restricted with allow/deny' },
  },
  check(doc) {
    const d = asNginx(doc);
    if (!d) return [];
    const out: Report[] = [];
    for (const x of allDirectives(d)) {
      if (x.name === 'autoindex' && x.args[0]?.value === 'on') out.push({ message: fmt(this.meta.messages.autoindex), at: x.at, key: `autoindex:${x.at.line}` });
      if (x.name === 'stub_status' || x.name === 'vhost_traffic_status_display' || (x.name === 'api' && x.parent?.name === 'location')) {
        const rules = effective(d, x.parent, ['allow', 'deny']);
        const restricted = rules.some((r) => r.name === 'deny' && r.args[0]?.value === 'all');
        const internal = (x.parent?.block ?? []).some((r) => r.name === 'internal' || r.name === 'auth_basic' || r.name === 'auth_request');
        if (!restricted && !internal) out.push({ message: fmt(this.meta.messages.status, { name: x.name }), at: x.at, key: `status:${x.at.line}` });
      }
    }
    return out;
  },
};
