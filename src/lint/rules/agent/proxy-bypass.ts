import { agentService, hasProxyLabels, isProxyService, isPublicPort, isWebPort, portList, proxyServices } from '../../rule-helpers.js';
import { fmt, type Report, type Rule } from '../../types.js';

export const rule: Rule = {
  meta: {
    id: 'agent/proxy-bypass',
    severity: 'high',
    title: 'service behind an authenticating proxy is also published directly',
    rationale:
      'A reverse proxy (Traefik, nginx, Caddy, oauth2-proxy) adds TLS, authentication and rate limits only for traffic that goes through it. Publishing the agent port as well lets anyone skip all of that by connecting to the port directly. The proxy is seen in the same compose file (a proxy image, or Traefik routing labels on the service, which only a Traefik reads), in an nginx configuration of the project (mounted into the nginx container, or nginx.conf, nginx/conf.d/*.conf, nginx/templates/* …, includes and globs followed) whose proxy_pass or upstream names the service, or in a Traefik dynamic file (mounted into the Traefik container, or traefik/, traefik/dynamic/ …) whose loadBalancer server URL names it.',
    remediation: 'Remove the `ports:` entry of the proxied service (the proxy reaches it over the compose network), or bind it to 127.0.0.1 for local debugging.',
    refs: ['https://cwe.mitre.org/data/definitions/288.html'],
    formats: ['compose'],
    supersedes: ['agent/port-exposed', 'compose/port-all-interfaces'],
    messages: { bypass: '{service} is routed through {proxy} yet publishes {ports} directly' },
  },
  check(doc) {
    if (doc.format !== 'compose') return [];
    const proxies = proxyServices(doc);
    // Cross-file: an nginx or Traefik configuration of the project that sends traffic to the service by name.
    const external = doc.proxiedBy ?? new Map<string, string>();
    const proxyNames = new Set(proxies.map((p) => p.name));
    const out: Report[] = [];
    for (const svc of doc.services) {
      if (proxyNames.has(svc.name)) continue;
      const labelled = hasProxyLabels(svc);
      // Evidence first (routing labels, a proxy file naming the service), then the guess that a proxy fronts the agents.
      const proxy = labelled ? (proxies[0]?.name ?? 'Traefik (routing labels)') : (external.get(svc.name) ?? (agentService(svc) !== undefined ? proxies[0]?.name : undefined));
      if (proxy === undefined) continue;
      // The proxy's own 80/443 are where traffic is meant to enter, whatever else routes to it.
      const ports = svc.ports.filter((p) => isPublicPort(p) && !(isProxyService(doc, svc) && isWebPort(p)));
      const first = ports[0];
      if (first) out.push({ message: fmt(this.meta.messages.bypass, { service: svc.name, proxy, ports: portList(ports) }), at: first.at, key: `${svc.name}:ports`, covers: ports.map((p) => p.at.line) });
    }
    return out;
  },
};
