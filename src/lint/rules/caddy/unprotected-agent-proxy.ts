import { asCaddy, unguardedAgentProxies } from '../../caddy-helpers.js';
import { fmt, type Report, type Rule } from '../../types.js';

/** Caddy's own authentication directives and those of the common modules (caddy-security, caddy-jwt). */
const AUTH = ['basic_auth', 'basicauth', 'forward_auth', 'authenticate', 'authorize', 'jwtauth', 'jwt'];

export const rule: Rule = {
  meta: {
    id: 'caddy/unprotected-agent-proxy',
    severity: 'high',
    title: 'Caddy proxies an agent without authentication',
    rationale:
      'A reverse_proxy to an agent, LLM or MCP server with no `basic_auth`/`forward_auth` (or a caddy-security `authorize`) in effect puts the agent on the internet with whatever authentication it has of its own, often none: Ollama, MCP servers and many agent UIs ship open. The agent is known by its upstream (name, distinctive port, a compose service running one) or by its route (/api, /v1, /mcp …).',
    remediation: 'Put `forward_auth` to an identity proxy (Authelia, oauth2-proxy, authentik) or `basic_auth` in front of the reverse_proxy; if the agent authenticates every request itself, say so with a suppression.',
    refs: ['https://caddyserver.com/docs/caddyfile/directives/forward_auth', 'https://caddyserver.com/docs/caddyfile/directives/basic_auth', 'https://cwe.mitre.org/data/definitions/306.html'],
    formats: ['caddy'],
    messages: { open: 'reverse_proxy to {target} has no basic_auth or forward_auth in front' },
  },
  check(doc) {
    const d = asCaddy(doc);
    if (!d) return [];
    return unguardedAgentProxies(d, AUTH).map(({ d: x, target }): Report => ({ message: fmt(this.meta.messages.open, { target }), at: x.at, key: `${x.at.line}` }));
  },
};
