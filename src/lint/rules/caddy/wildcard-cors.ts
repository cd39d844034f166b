import { asCaddy, isMatcher, siteDirectives } from '../../caddy-helpers.js';
import type { CaddyDirective, CaddyToken } from '../../parse/caddy.js';
import { fmt, type Report, type Rule } from '../../types.js';

/** `header Access-Control-Allow-Origin *`, one field inline or many in a block: the (field, value) pairs. */
function fields(d: CaddyDirective): Array<{ field: string; value: CaddyToken | undefined }> {
  const args = isMatcher(d.args[0]) ? d.args.slice(1) : d.args;
  const inline = args[0] ? [{ field: args[0].value, value: args[1] }] : [];
  return [...inline, ...(d.block ?? []).map((x) => ({ field: x.name, value: x.args[0] }))];
}

export const rule: Rule = {
  meta: {
    id: 'caddy/wildcard-cors',
    severity: 'high',
    title: 'Caddy sets Access-Control-Allow-Origin to any origin',
    rationale:
      'A wildcard or reflected (`{header.Origin}`) Access-Control-Allow-Origin lets any web page the operator visits call the agent behind Caddy from their browser; reflected with credentials it hands over their session. Local agents and MCP servers are reached this way by drive-by pages.',
    remediation: 'Set the exact origin (`header Access-Control-Allow-Origin https://agent.example.com`), or let the agent answer CORS itself with an allow-list.',
    refs: ['https://caddyserver.com/docs/caddyfile/directives/header', 'https://cwe.mitre.org/data/definitions/942.html'],
    formats: ['caddy'],
    messages: { any: 'header Access-Control-Allow-Origin {value}' },
  },
  check(doc) {
    const d = asCaddy(doc);
    if (!d) return [];
    const out: Report[] = [];
    for (const { d: x } of siteDirectives(d)) {
      if (x.name !== 'header') continue;
      for (const f of fields(x)) {
        if (!/^[+?>]?access-control-allow-origin$/i.test(f.field) || !f.value) continue;
        const v = f.value.value.trim();
        const reflected = /^\{(?:http\.request\.)?header\.origin\}$/i.test(v);
        if (v !== '*' && !reflected) continue;
        out.push({ message: fmt(this.meta.messages.any, { value: reflected ? 'reflects the request Origin' : '*' }), at: f.value.at, key: `${f.value.at.line}` });
      }
    }
    return out;
  },
};
