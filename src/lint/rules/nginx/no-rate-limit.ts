import { allDirectives, asNginx, inContext, levels, locationPath } from '../../nginx-helpers.js';
import { fmt, type Report, type Rule } from '../../types.js';

/** Agent API, MCP, WebSocket and auth routes, as a path segment or an alternative of a regex location. */
const AGENT_ROUTE = /(?:^|[/(|^])(api|v1|mcp|ws|socket\.io|sse|auth|login|signin|sign-in|signup|oauth2?|token|session)(?=$|[/|)$?.*\\])/i;

export const rule: Rule = {
  meta: {
    id: 'nginx/no-rate-limit',
    severity: 'medium',
    title: 'agent or auth route without a rate limit',
    rationale: 'Every request to an agent API or MCP route can cost an LLM call, and login/token routes are where passwords and keys are guessed. Without limit_req or limit_conn (on the location, or inherited from the server or http level) one client can run up the bill, brute-force credentials or hold every WebSocket slot.',
    remediation: 'Define `limit_req_zone $binary_remote_addr zone=api:10m rate=10r/s;` in http and add `limit_req zone=api burst=20 nodelay;` (and `limit_conn` for WebSocket routes) to the location, the server or the http block.',
    refs: ['https://nginx.org/en/docs/http/ngx_http_limit_req_module.html', 'https://nginx.org/en/docs/http/ngx_http_limit_conn_module.html', 'https://owasp.org/API-Security/editions/2023/en/0xa4-unrestricted-resource-consumption/'],
    formats: ['nginx'],
    messages: { none: 'location {path} ({route} route) has no limit_req or limit_conn' },
  },
  check(doc) {
    const d = asNginx(doc);
    if (!d) return [];
    const out: Report[] = [];
    for (const loc of allDirectives(d)) {
      if (loc.name !== 'location' || !loc.block || inContext(loc, 'stream')) continue;
      const { path } = locationPath(loc);
      const m = AGENT_ROUTE.exec(path.replace(/\\\./g, '.'));
      if (!m) continue;
      const body = loc.block;
      if (body.some((x) => x.name === 'internal' || (x.name === 'deny' && x.args[0]?.value === 'all') || x.name === 'return')) continue;
      const limited = levels(d, loc).some((list) => list.some((x) => x.name === 'limit_req' || x.name === 'limit_conn'));
      if (!limited) out.push({ message: fmt(this.meta.messages.none, { path, route: (m[1] as string).toLowerCase() }), at: loc.at, key: path });
    }
    return out;
  },
};
