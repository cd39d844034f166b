import { truthy } from '../../parse/yaml.js';
import { fmt, type Report, type Rule } from '../../types.js';

export const rule: Rule = {
  meta: {
    id: 'compose/privileged',
    severity: 'critical',
    title: 'container runs privileged',
    rationale: 'A privileged container has every capability, every device and no seccomp/AppArmor confinement: root in it is root on the host (mount the host disk, load kernel modules). For an agent that executes tools, one prompt injection is a host compromise.',
    remediation: 'Remove `privileged: true`; grant the one capability or device actually needed (`cap_add`, `devices`, GPU via `deploy.resources.reservations.devices`).',
    refs: ['https://docs.docker.com/reference/compose-file/services/#privileged', 'https://www.cisecurity.org/benchmark/docker'],
    anchors: 'K, CIS 5.5',
    formats: ['compose'],
    messages: { privileged: 'service {service} runs privileged' },
  },
  check(doc) {
    if (doc.format !== 'compose') return [];
    const out: Report[] = [];
    for (const svc of doc.services) {
      const n = svc.get('privileged');
      if (truthy(n)) out.push({ message: fmt(this.meta.messages.privileged, { service: svc.name }), at: n?.at ?? svc.at, key: svc.name });
    }
    return out;
  },
};
