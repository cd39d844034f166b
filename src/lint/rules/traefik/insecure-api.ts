import { isTrueValue, middlewareKinds, routers, traefikModel } from '../../traefik-model.js';
import { fmt, type Report, type Rule } from '../../types.js';

export const rule: Rule = {
  meta: {
    id: 'traefik/insecure-api',
    severity: 'high',
    title: 'Traefik API or dashboard open without authentication',
    rationale: '`api.insecure` serves the Traefik API and dashboard on the traefik entry point (port 8080) with no authentication: anyone who reaches it sees every router, service, middleware and backend address, which maps the deployment for an attacker. A router to api@internal without an auth middleware does the same on a public host.',
    remediation: 'Remove `api.insecure` (`--api.insecure=true`); expose the dashboard through a router to `api@internal` with a basicAuth or forwardAuth middleware, on an internal entry point.',
    refs: ['https://doc.traefik.io/traefik/operations/api/', 'https://doc.traefik.io/traefik/operations/dashboard/'],
    formats: ['traefik', 'compose'],
    messages: { insecure: 'api.insecure is true: the API and dashboard are served without authentication', router: 'router {router} exposes api@internal without an auth middleware' },
  },
  check(doc) {
    const m = traefikModel(doc);
    if (!m) return [];
    const out: Report[] = [];
    const e = m.get('api.insecure');
    if (e && isTrueValue(e.value)) out.push({ message: fmt(this.meta.messages.insecure), at: e.at, key: 'insecure' });
    for (const r of routers(m)) {
      if (r.service !== 'api@internal') continue;
      if (!r.middlewares.some((x) => middlewareKinds(m, x).has('auth'))) out.push({ message: fmt(this.meta.messages.router, { router: r.name }), at: r.at, key: `router:${r.name}` });
    }
    return out;
  },
};
