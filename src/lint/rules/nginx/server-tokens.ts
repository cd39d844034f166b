import { allDirectives, asNginx } from '../../nginx-helpers.js';
import { fmt, type Report, type Rule } from '../../types.js';

export const rule: Rule = {
  meta: {
    id: 'nginx/server-tokens',
    severity: 'low',
    title: 'nginx announces its version',
    rationale: 'With server_tokens on (the default), every error page and Server header names the exact nginx version, telling an attacker which published vulnerabilities to try first. Turning it off costs nothing.',
    remediation: 'Set `server_tokens off;` in the `http` block (and do not turn it back on in a server or location).',
    refs: ['https://nginx.org/en/docs/http/ngx_http_core_module.html#server_tokens'],
    anchors: 'G-ng',
    formats: ['nginx'],
    messages: { on: 'server_tokens {value}: nginx announces its version', missing: 'http block without `server_tokens off`: nginx announces its version' },
  },
  check(doc) {
    const d = asNginx(doc);
    if (!d) return [];
    const out: Report[] = [];
    for (const x of allDirectives(d)) {
      if (x.name === 'server_tokens' && x.args[0] && x.args[0].value !== 'off' && !x.args[0].placeholder) {
        out.push({ message: fmt(this.meta.messages.on, { value: x.args[0].value }), at: x.at, key: `on:${x.at.line}` });
      }
      if (x.name === 'http' && x.block && !x.block.some((c) => c.name === 'server_tokens')) out.push({ message: fmt(this.meta.messages.missing), at: x.at, key: 'missing' });
    }
    return out;
  },
};
