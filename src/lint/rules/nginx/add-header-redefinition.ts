import { allDirectives, asNginx, effective, headerNames } from '../../nginx-helpers.js';
import { fmt, type Report, type Rule } from '../../types.js';

const SECURITY = ['strict-transport-security', 'x-frame-options', 'x-content-type-options', 'content-security-policy', 'referrer-policy', 'permissions-policy'];

export const rule: Rule = {
  meta: {
    id: 'nginx/add-header-redefinition',
    severity: 'medium',
    title: 'nested add_header drops the parent\'s security headers',
    rationale: 'nginx inherits add_header from the enclosing level only when a block has no add_header of its own. One `add_header Cache-Control …` in a location silently removes HSTS, CSP and X-Frame-Options set on the server for every response of that location.',
    remediation: 'Repeat the security headers in the nested block (an `include security-headers.conf;` in each block keeps them in one place), or use `add_header_inherit merge;` (nginx 1.29.3+).',
    refs: ['https://nginx.org/en/docs/http/ngx_http_headers_module.html#add_header', 'https://github.com/yandex/gixy/blob/master/docs/en/plugins/addheaderredefinition.md'],
    anchors: 'G',
    formats: ['nginx'],
    messages: { dropped: '{block} sets its own add_header and so drops {headers} set above' },
  },
  check(doc) {
    const d = asNginx(doc);
    if (!d) return [];
    const out: Report[] = [];
    for (const b of allDirectives(d)) {
      if (!b.block || !b.parent) continue;
      const own = b.block.filter((x) => x.name === 'add_header');
      if (own.length === 0 || b.block.some((x) => x.name === 'add_header_inherit' && x.args[0]?.value === 'merge')) continue;
      const above = headerNames(effective(d, b.parent, 'add_header'));
      const mine = headerNames(own);
      const dropped = SECURITY.filter((h) => above.has(h) && !mine.has(h));
      if (dropped.length > 0) {
        const first = own[0] as (typeof own)[number];
        out.push({ message: fmt(this.meta.messages.dropped, { block: b.args.length ? `${b.name} ${b.args.map((a) => a.value).join(' ')}` : b.name, headers: dropped.join(', ') }), at: first.at, key: `${b.at.line}:${dropped.join(',')}` });
      }
    }
    return out;
  },
};
