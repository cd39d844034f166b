import { allDirectives, asNginx, locationPath } from '../../nginx-helpers.js';
import { fmt, type Report, type Rule } from '../../types.js';

export const rule: Rule = {
  meta: {
    id: 'nginx/alias-traversal',
    severity: 'high',
    title: 'alias in a location without a trailing slash (path traversal)',
    rationale: 'With `location /static { alias /data/static/; }` a request for `/static../secret` maps to `/data/static/../secret`: one directory up from the alias, which may hold the app\'s .env, keys or source.',
    remediation: 'End the location with a slash when the alias does (`location /static/ { alias /data/static/; }`), or use `root` instead of `alias`.',
    refs: ['https://github.com/yandex/gixy/blob/master/docs/en/plugins/aliastraversal.md', 'https://nginx.org/en/docs/http/ngx_http_core_module.html#alias'],
    anchors: 'G',
    formats: ['nginx'],
    messages: { traversal: 'location {path} does not end with / but its alias {alias} does: {path}../ escapes the directory' },
  },
  check(doc) {
    const d = asNginx(doc);
    if (!d) return [];
    const out: Report[] = [];
    for (const a of allDirectives(d)) {
      if (a.name !== 'alias' || a.parent?.name !== 'location') continue;
      const target = a.args[0]?.value ?? '';
      const { modifier, path } = locationPath(a.parent);
      if (modifier.startsWith('~') || modifier === '=' || path.endsWith('/') || !target.endsWith('/')) continue;
      out.push({ message: fmt(this.meta.messages.traversal, { path, alias: target }), at: a.at, key: path });
    }
    return out;
  },
};
