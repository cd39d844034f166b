import { asCaddy, unguardedAgentProxies } from '../../caddy-helpers.js';
import { fmt, type Report, type Rule } from '../../types.js';

export const rule: Rule = {
  meta: {
    id: 'caddy/no-rate-limit',
    severity: 'medium',
    title: 'Caddy proxies an agent route without a rate limit',
    rationale:
      'Every request to an agent API or MCP route can cost an LLM call, and its login and token routes are where keys are guessed. A reverse_proxy to an agent (by upstream name, a distinctive agent port, a compose service running one, or an /api, /v1, /mcp … path) with no `rate_limit` in effect lets one client run up the bill or brute-force credentials. Stock Caddy has no rate limiter: build it with the caddy-ratelimit module, or limit in the agent itself and say so with a suppression.',
    remediation: 'Build Caddy with `xcaddy build --with github.com/mholt/caddy-ratelimit` and add `rate_limit { zone agent { key {remote_host} events 60 window 1m } }` to the site or route; or enforce limits in the agent and suppress with the reason.',
    refs: ['https://github.com/mholt/caddy-ratelimit', 'https://owasp.org/API-Security/editions/2023/en/0xa4-unrestricted-resource-consumption/'],
    formats: ['caddy'],
    messages: { none: 'reverse_proxy to {target} has no rate_limit' },
  },
  check(doc) {
    const d = asCaddy(doc);
    if (!d) return [];
    return unguardedAgentProxies(d, ['rate_limit']).map(({ d: x, target }): Report => ({ message: fmt(this.meta.messages.none, { target }), at: x.at, key: `${x.at.line}` }));
  },
};
