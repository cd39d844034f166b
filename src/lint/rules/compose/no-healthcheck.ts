import { truthy } from '../../parse/yaml.js';
import { fmt, type Report, type Rule } from '../../types.js';

export const rule: Rule = {
  meta: {
    id: 'compose/no-healthcheck',
    severity: 'low',
    title: 'service has no healthcheck',
    rationale: 'Without a healthcheck, a hung or half-started service looks healthy, `depends_on: condition: service_healthy` cannot wait for it, and restarts never happen. (An image may define one; Compose cannot tell from here, so say so with an inline suppression.)',
    remediation: 'Add a `healthcheck:` with a cheap probe (`test: ["CMD", "curl", "-fsS", "http://localhost:8080/health"]`, interval, timeout, retries).',
    refs: ['https://docs.docker.com/reference/compose-file/services/#healthcheck', 'https://www.cisecurity.org/benchmark/docker'],
    anchors: 'K, CIS 5.27',
    formats: ['compose'],
    messages: { missing: 'service {service} has no healthcheck', disabled: 'service {service} disables its healthcheck' },
  },
  check(doc) {
    if (doc.format !== 'compose') return [];
    const out: Report[] = [];
    for (const svc of doc.services) {
      const h = svc.get('healthcheck');
      if (h === undefined) out.push({ message: fmt(this.meta.messages.missing, { service: svc.name }), at: svc.at, key: svc.name });
      else if (h.kind === 'map' && truthy(h.get('disable'))) out.push({ message: fmt(this.meta.messages.disabled, { service: svc.name }), at: h.at, key: svc.name });
    }
    return out;
  },
};
