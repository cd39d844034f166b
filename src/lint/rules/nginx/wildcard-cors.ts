import { allDirectives, asNginx, effective } from '../../nginx-helpers.js';
import { fmt, type Report, type Rule } from '../../types.js';

export const rule: Rule = {
  meta: {
    id: 'nginx/wildcard-cors',
    severity: 'high',
    title: 'CORS allows any origin',
    rationale: '`Access-Control-Allow-Origin *` lets any web page read the agent API\'s responses from a visitor\'s browser; reflecting `$http_origin` does the same and, with `Access-Control-Allow-Credentials true`, sends the visitor\'s cookies along: any site can then drive the agent as that user.',
    remediation: 'Allow a fixed list of origins: `map $http_origin $cors_origin { default ""; "https://app.example.com" $http_origin; }` and `add_header Access-Control-Allow-Origin $cors_origin;`.',
    refs: ['https://developer.mozilla.org/en-US/docs/Web/HTTP/CORS', 'https://portswigger.net/web-security/cors'],
    anchors: 'G (partial)',
    formats: ['nginx'],
    messages: { any: 'Access-Control-Allow-Origin {value}{creds}' },
  },
  check(doc) {
    const d = asNginx(doc);
    if (!d) return [];
    const out: Report[] = [];
    for (const x of allDirectives(d)) {
      let value: string | undefined;
      if (x.name === 'add_header' && /^access-control-allow-origin$/i.test(x.args[0]?.value ?? '')) value = x.args[1]?.value;
      else if (x.name === 'more_set_headers') value = /^access-control-allow-origin:\s*(.+)$/i.exec(x.args[0]?.value ?? '')?.[1];
      if (value === undefined) continue;
      const reflected = /^\$\{?http_origin\}?$/.test(value.trim());
      if (value.trim() !== '*' && !reflected) continue;
      const creds = effective(d, x.parent, 'add_header').some((h) => /^access-control-allow-credentials$/i.test(h.args[0]?.value ?? '') && /^true$/i.test(h.args[1]?.value ?? ''));
      out.push({
        message: fmt(this.meta.messages.any, { value: reflected ? 'reflects the request Origin' : '*', creds: creds ? ', with credentials' : '' }),
        at: x.at,
        key: `${x.at.line}`,
        ...(creds && reflected ? { severity: 'critical' as const } : {}),
      });
    }
    return out;
  },
};
