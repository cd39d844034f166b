import { isAgentRouter, middlewareKinds, routers, traefikModel } from '../../traefik-model.js';
import { fmt, type Report, type Rule } from '../../types.js';

export const rule: Rule = {
  meta: {
    id: 'traefik/unprotected-agent-router',
    severity: 'high',
    title: 'router to an agent, LLM or MCP service without auth or rate limiting',
    rationale: 'A Traefik router publishes the service behind it. For an agent, LLM or MCP server that means anyone on the internet can send prompts, run tools and spend the provider budget unless an auth middleware (forwardAuth, basicAuth) and a rateLimit middleware sit on the router. Middlewares are resolved through chains and across the labels and files given.',
    remediation: 'Add an auth middleware and a rateLimit middleware to the router: `traefik.http.routers.<r>.middlewares=auth@file,ratelimit@file` (define them in the dynamic configuration).',
    refs: ['https://doc.traefik.io/traefik/middlewares/http/forwardauth/', 'https://doc.traefik.io/traefik/middlewares/http/ratelimit/', 'https://owasp.org/API-Security/editions/2023/en/0xa4-unrestricted-resource-consumption/'],
    formats: ['traefik', 'compose'],
    messages: { missing: 'router {router} reaches an agent service without {what}' },
  },
  check(doc) {
    const m = traefikModel(doc);
    if (!m) return [];
    const out: Report[] = [];
    for (const r of routers(m)) {
      if (!isAgentRouter(m, r)) continue;
      const kinds = new Set(r.middlewares.flatMap((x) => [...middlewareKinds(m, x)]));
      if (kinds.has('redirect')) continue;
      // A CORS preflight router answers OPTIONS only.
      if (/^\s*(?:.*&&\s*)?Method\(`OPTIONS`\)\s*$/i.test(r.rule)) continue;
      const missing = [kinds.has('auth') ? '' : 'an auth middleware', kinds.has('ratelimit') ? '' : 'a rate limit'].filter((x) => x !== '');
      if (missing.length > 0) out.push({ message: fmt(this.meta.messages.missing, { router: r.name, what: missing.join(' or ') }), at: r.at, key: r.name, ...(kinds.has('auth') ? { severity: 'medium' as const } : {}) });
    }
    return out;
  },
};
