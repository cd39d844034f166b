import { agentService, hasProxyLabels, isPublicPort, proxyServices } from '../../rule-helpers.js';
import { fmt, type Report, type Rule } from '../../types.js';

export const rule: Rule = {
  meta: {
    id: 'agent/proxy-bypass',
    severity: 'high',
    title: 'service behind an authenticating proxy is also published directly',
    rationale:
      'A reverse proxy (Traefik, nginx, Caddy, oauth2-proxy) adds TLS, authentication and rate limits only for traffic that goes through it. Publishing the agent port as well lets anyone skip all of that by connecting to the port directly. The proxy is seen in the same compose file (a proxy image, or Traefik labels on the service) or in an nginx configuration beside it (nginx.conf, nginx/conf.d/default.conf …) whose proxy_pass or upstream names the service.',
    remediation: 'Remove the `ports:` entry of the proxied service (the proxy reaches it over the compose network), or bind it to 127.0.0.1 for local debugging.',
    refs: ['https://cwe.mitre.org/data/definitions/288.html'],
    formats: ['compose'],
    supersedes: ['agent/port-exposed', 'compose/port-all-interfaces'],
    messages: { bypass: '{service} is routed through {proxy} yet publishes port {port} directly' },
  },
  check(doc) {
    if (doc.format !== 'compose') return [];
    const proxies = proxyServices(doc);
    // Cross-file: an nginx configuration beside the compose file that proxies to the service by name.
    const external = doc.proxiedBy ?? new Map<string, string>();
    if (proxies.length === 0 && external.size === 0) return [];
    const proxyNames = new Set(proxies.map((p) => p.name));
    const out: Report[] = [];
    for (const svc of doc.services) {
      if (proxyNames.has(svc.name)) continue;
      const viaFile = external.get(svc.name);
      const inFile = proxies.length > 0 && (hasProxyLabels(svc) || agentService(svc) !== undefined);
      if (!inFile && viaFile === undefined) continue;
      const proxy = inFile ? (proxies[0]?.name ?? 'the proxy') : `nginx (${viaFile})`;
      for (const p of svc.ports) {
        if (!isPublicPort(p)) continue;
        out.push({ message: fmt(this.meta.messages.bypass, { service: svc.name, proxy, port: p.raw }), at: p.at, key: `${svc.name}:${p.containerPort ?? p.raw}` });
      }
    }
    return out;
  },
};
