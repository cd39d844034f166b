import { truthy } from '../../parse/yaml.js';
import { fmt, type Report, type Rule } from '../../types.js';

export const rule: Rule = {
  meta: {
    id: 'compose/writable-root-fs',
    severity: 'low',
    title: 'root filesystem writable',
    rationale: 'A read-only root filesystem stops an intruder (or a misled agent tool) from replacing binaries, dropping persistence or editing the app in place; writes go only to declared volumes and tmpfs.',
    remediation: 'Set `read_only: true` and give the paths that must be written a volume or `tmpfs:` (/tmp, caches).',
    refs: ['https://docs.docker.com/reference/compose-file/services/#read_only', 'https://www.cisecurity.org/benchmark/docker'],
    anchors: 'CIS 5.13',
    formats: ['compose'],
    messages: { writable: 'service {service} does not set read_only: true' },
  },
  check(doc) {
    if (doc.format !== 'compose') return [];
    const out: Report[] = [];
    for (const svc of doc.services) if (!truthy(svc.get('read_only'))) out.push({ message: fmt(this.meta.messages.writable, { service: svc.name }), at: svc.at, key: svc.name });
    return out;
  },
};
