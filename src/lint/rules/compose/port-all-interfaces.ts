import { isProxyService, isPublicPort, isWebPort, portList } from '../../rule-helpers.js';
import { fmt, type Report, type Rule } from '../../types.js';

export const rule: Rule = {
  meta: {
    id: 'compose/port-all-interfaces',
    severity: 'medium',
    title: 'port published on all interfaces',
    rationale: 'Without a host IP, Compose publishes on 0.0.0.0 (and ::), reachable from every network the host is on, and Docker\'s iptables rules bypass ufw/firewalld. Most services only need to be reached by a reverse proxy on the same host; the proxy\'s own 80/443 are the exception and are not reported. One finding per service lists its ports.',
    remediation: 'Give the host IP explicitly: `127.0.0.1:8080:8080` for local access or behind a proxy, a private address for an internal network.',
    refs: ['https://docs.docker.com/reference/compose-file/services/#ports', 'https://docs.docker.com/engine/network/packet-filtering-firewalls/'],
    anchors: 'K, CIS 5.14',
    formats: ['compose'],
    messages: { all: 'service {service} publishes {ports} on all interfaces' },
  },
  check(doc) {
    if (doc.format !== 'compose') return [];
    const out: Report[] = [];
    for (const svc of doc.services) {
      // A reverse proxy's own 80/443 are the project's entry point: published on purpose.
      const proxy = isProxyService(doc, svc);
      const ports = svc.ports.filter((p) => isPublicPort(p) && !(proxy && isWebPort(p)));
      const first = ports[0];
      if (first) out.push({ message: fmt(this.meta.messages.all, { service: svc.name, ports: portList(ports) }), at: first.at, key: `${svc.name}:ports`, covers: ports.map((p) => p.at.line) });
    }
    return out;
  },
};
