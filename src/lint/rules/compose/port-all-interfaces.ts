import { isPublicPort } from '../../rule-helpers.js';
import { fmt, type Report, type Rule } from '../../types.js';

export const rule: Rule = {
  meta: {
    id: 'compose/port-all-interfaces',
    severity: 'medium',
    title: 'port published on all interfaces',
    rationale: 'Without a host IP, Compose publishes on 0.0.0.0 (and ::), reachable from every network the host is on, and Docker\'s iptables rules bypass ufw/firewalld. Most services only need to be reached by a reverse proxy on the same host.',
    remediation: 'Give the host IP explicitly: `127.0.0.1:8080:8080` for local access or behind a proxy, a private address for an internal network.',
    refs: ['https://docs.docker.com/reference/compose-file/services/#ports', 'https://docs.docker.com/engine/network/packet-filtering-firewalls/'],
    anchors: 'K, CIS 5.14',
    formats: ['compose'],
    messages: { all: 'service {service} publishes {port} on all interfaces' },
  },
  check(doc) {
    if (doc.format !== 'compose') return [];
    const out: Report[] = [];
    for (const svc of doc.services) {
      for (const p of svc.ports) if (isPublicPort(p)) out.push({ message: fmt(this.meta.messages.all, { service: svc.name, port: p.raw }), at: p.at, key: `${svc.name}:${p.raw}` });
    }
    return out;
  },
};
