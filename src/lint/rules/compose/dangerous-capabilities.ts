import { fmt, type Report, type Rule } from '../../types.js';

const DANGEROUS = new Set(['ALL', 'SYS_ADMIN', 'NET_ADMIN', 'SYS_PTRACE', 'SYS_MODULE', 'DAC_READ_SEARCH', 'SYS_RAWIO', 'BPF', 'PERFMON']);

export const rule: Rule = {
  meta: {
    id: 'compose/dangerous-capabilities',
    severity: 'high',
    title: 'dangerous Linux capability added',
    rationale: 'SYS_ADMIN is nearly root (mounts, namespaces) and enables known container escapes; NET_ADMIN rewrites the network and firewall; SYS_PTRACE reads other processes\' memory; SYS_MODULE loads kernel code; ALL grants everything.',
    remediation: 'Drop the capability; start from `cap_drop: [ALL]` and add back only narrow ones (NET_BIND_SERVICE, CHOWN).',
    refs: ['https://man7.org/linux/man-pages/man7/capabilities.7.html', 'https://www.cisecurity.org/benchmark/docker'],
    anchors: 'K, CIS 5.4',
    formats: ['compose'],
    messages: { cap: 'service {service} adds capability {cap}' },
  },
  check(doc) {
    if (doc.format !== 'compose') return [];
    const out: Report[] = [];
    for (const svc of doc.services) {
      const n = svc.get('cap_add');
      if (n?.kind !== 'seq') continue;
      for (const item of n.items) {
        if (item.kind !== 'scalar') continue;
        const cap = item.raw.trim().toUpperCase().replace(/^CAP_/, '');
        if (DANGEROUS.has(cap)) out.push({ message: fmt(this.meta.messages.cap, { service: svc.name, cap }), at: item.at, key: `${svc.name}:${cap}` });
      }
    }
    return out;
  },
};
