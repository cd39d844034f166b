import { asNginx, allDirectives } from '../../nginx-helpers.js';
import { fmt, type Report, type Rule } from '../../types.js';

export const rule: Rule = {
  meta: {
    id: 'nginx/allow-without-deny',
    severity: 'high',
    title: '`allow` without `deny all`',
    rationale: 'nginx access rules are checked in order and the default is to allow: `allow 10.0.0.0/8;` alone restricts nothing. An admin, metrics or MCP route "limited" that way is open to everyone.',
    remediation: 'End the rule list with `deny all;` in the same block as the `allow` lines.',
    refs: ['https://nginx.org/en/docs/http/ngx_http_access_module.html', 'https://github.com/dvershinin/gixy'],
    anchors: 'G-ng',
    formats: ['nginx'],
    messages: { open: '{block} allows {who} but never denies the rest: everyone is allowed' },
  },
  check(doc) {
    const d = asNginx(doc);
    if (!d) return [];
    const out: Report[] = [];
    const lists: Array<{ name: string; list: readonly import('../../parse/nginx.js').NgDirective[] }> = [{ name: 'top level', list: d.directives }];
    for (const b of allDirectives(d)) if (b.block) lists.push({ name: [b.name, ...b.args.map((a) => a.value)].join(' '), list: b.block });
    for (const { name, list } of lists) {
      const allows = list.filter((x) => x.name === 'allow');
      if (allows.length === 0) continue;
      if (allows.some((a) => a.args[0]?.value === 'all')) continue;
      if (list.some((x) => x.name === 'deny' && x.args[0]?.value === 'all')) continue;
      const first = allows[0] as (typeof allows)[number];
      out.push({ message: fmt(this.meta.messages.open, { block: name, who: allows.map((a) => a.args[0]?.value ?? '').join(', ') }), at: first.at, key: `${name}` });
    }
    return out;
  },
};
