import { datastorePort } from '../../images.js';
import { agentService, isPublicPort, parseImage, portList, proxyServices } from '../../rule-helpers.js';
import { fmt, type Report, type Rule } from '../../types.js';

export const rule: Rule = {
  meta: {
    id: 'agent/port-exposed',
    severity: 'high',
    title: 'agent, LLM or MCP port published on all interfaces',
    rationale:
      'Docker publishes ports on 0.0.0.0 by default and bypasses host firewalls (ufw) through its own iptables rules. An agent UI, an Ollama or LiteLLM endpoint or an MCP server reachable from the network is an unauthenticated remote-code or key-spending endpoint for many of these tools; scans find tens of thousands of open Ollama instances.',
    remediation: 'Publish on loopback (`127.0.0.1:8080:8080`) and put an authenticating reverse proxy in front, or drop `ports:` and reach the service over an internal network.',
    refs: ['https://docs.docker.com/engine/network/packet-filtering-firewalls/', 'https://cwe.mitre.org/data/definitions/668.html'],
    formats: ['compose'],
    supersedes: ['compose/port-all-interfaces'],
    messages: { exposed: '{service} ({what}) publishes {ports} on all interfaces{proxy}' },
  },
  check(doc) {
    if (doc.format !== 'compose') return [];
    const out: Report[] = [];
    const proxied = proxyServices(doc).length > 0;
    for (const svc of doc.services) {
      const what = agentService(svc);
      if (!what) continue;
      // One finding per service, listing its ports: a service publishing six ports is one mistake, not six.
      // A datastore port the service publishes is compose/datastore-port-published's (an agent image bundling Postgres).
      const image = svc.image?.value ?? svc.image?.raw;
      const repo = image !== undefined ? parseImage(image).repo : undefined;
      const ports = svc.ports.filter((p) => isPublicPort(p) && p.containerPort !== undefined && datastorePort(repo, p, false, svc.name) === undefined);
      const first = ports[0];
      if (first) out.push({ message: fmt(this.meta.messages.exposed, { service: svc.name, what, ports: portList(ports), proxy: proxied ? '' : ', and no authenticating proxy is defined' }), at: first.at, key: `${svc.name}:ports`, covers: ports.map((p) => p.at.line) });
    }
    return out;
  },
};
