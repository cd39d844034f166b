import { str } from '../../parse/yaml.js';
import { fmt, type Report, type Rule } from '../../types.js';

export const rule: Rule = {
  meta: {
    id: 'compose/host-network',
    severity: 'high',
    title: 'container shares the host network',
    rationale: '`network_mode: host` removes network isolation: every port the container opens is open on the host (ignoring `ports:`), and it can reach services bound to the host\'s loopback, such as a local Docker API or admin panels.',
    remediation: 'Use the default bridge network with explicit `ports:`; for performance-critical cases, document the exception with an inline suppression.',
    refs: ['https://docs.docker.com/engine/network/drivers/host/', 'https://www.cisecurity.org/benchmark/docker'],
    anchors: 'K, CIS 5.10',
    formats: ['compose'],
    messages: { host: 'service {service} uses network_mode: host' },
  },
  check(doc) {
    if (doc.format !== 'compose') return [];
    const out: Report[] = [];
    for (const svc of doc.services) {
      const n = svc.get('network_mode');
      if (str(n)?.trim() === 'host') out.push({ message: fmt(this.meta.messages.host, { service: svc.name }), at: n?.at ?? svc.at, key: svc.name });
    }
    return out;
  },
};
