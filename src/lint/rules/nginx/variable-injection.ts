import { allDirectives, asNginx } from '../../nginx-helpers.js';
import type { NgDirective } from '../../parse/nginx.js';
import { fmt, type Report, type Rule } from '../../types.js';

/** Variables a client writes: headers, query, cookies, the Host, the path, regex captures of it. */
const CLIENT_VAR = /\$(?:\{)?(?:http_\w+|arg_\w+|cookie_\w+|host|args|query_string|request_uri|uri|document_uri|request_body|[1-9])\b/;
/** Variables holding the decoded path: `%0d%0a` in the request becomes a real CRLF in a header. */
const DECODED = /\$(?:\{)?(?:uri|document_uri)\b/;

function setValues(all: readonly NgDirective[]): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const d of all) {
    if (d.name !== 'set' || d.args.length < 2) continue;
    const name = (d.args[0]?.value ?? '').replace(/^\$/, '');
    const v = d.args[1];
    if (!v || v.placeholder) continue;
    m.set(name, [...(m.get(name) ?? []), v.value]);
  }
  return m;
}

/** Expands `$name` set with `set` (one level) so `set $t $http_x; proxy_pass http://$t;` is seen. */
function expand(value: string, sets: ReadonlyMap<string, string[]>): string {
  return value.replace(/\$\{?(\w+)\}?/g, (m, n: string) => (sets.has(n) ? (sets.get(n) ?? []).join(' ') : m));
}

export const rule: Rule = {
  meta: {
    id: 'nginx/variable-injection',
    severity: 'high',
    title: 'client-controlled variable in proxy_pass host or in a header',
    rationale: 'A proxy_pass whose host comes from a request header, argument, cookie or path capture lets any client make the proxy connect to an address of its choosing (SSRF: the cloud metadata endpoint, the internal LLM gateway). $uri and $document_uri are URL-decoded, so `%0d%0a` in a path becomes a line break in a header built from them (response splitting).',
    remediation: 'Proxy to fixed upstreams (an `upstream` block or a `map` with a default); build redirects and headers from `$request_uri` (not decoded) instead of `$uri`.',
    refs: ['https://github.com/yandex/gixy/blob/master/docs/en/plugins/ssrf.md', 'https://github.com/yandex/gixy/blob/master/docs/en/plugins/httpsplitting.md'],
    anchors: 'G',
    formats: ['nginx'],
    messages: { ssrf: 'proxy_pass host comes from the request ({value}): SSRF', splitting: '{directive} builds a header from the decoded path ({value}): response splitting' },
  },
  check(doc) {
    const d = asNginx(doc);
    if (!d) return [];
    const all = allDirectives(d);
    const sets = setValues(all);
    const out: Report[] = [];
    for (const x of all) {
      if (x.name === 'proxy_pass' || x.name === 'grpc_pass' || x.name === 'uwsgi_pass' || x.name === 'fastcgi_pass') {
        const arg = x.args[0];
        if (!arg || arg.placeholder) continue;
        const v = expand(arg.value, sets);
        const authority = v.replace(/^[a-z]+:\/\//i, '').split('/')[0] ?? '';
        // `http://api:3080$request_uri`: a literal host and port, then the path from a variable.
        const host = /^[\w.-]+:\d+/.exec(authority)?.[0] ?? authority;
        if (CLIENT_VAR.test(host)) out.push({ message: fmt(this.meta.messages.ssrf, { value: arg.value }), at: arg.at, key: `ssrf:${arg.value}` });
        continue;
      }
      let value: string | undefined;
      if (x.name === 'add_header' || x.name === 'proxy_set_header' || x.name === 'more_set_headers') value = x.args[1]?.value ?? x.args[0]?.value;
      else if (x.name === 'return' && /^30[1278]$/.test(x.args[0]?.value ?? '')) value = x.args[1]?.value;
      else if (x.name === 'rewrite') value = x.args[1]?.value;
      if (value !== undefined && DECODED.test(expand(value, sets))) out.push({ message: fmt(this.meta.messages.splitting, { directive: x.name, value }), at: x.at, key: `split:${x.name}:${value}` });
    }
    return out;
  },
};
