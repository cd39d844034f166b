import type { ComposeService } from '../../document.js';
import type { PNode } from '../../parse/yaml.js';
import { fmt, type Report, type Rule } from '../../types.js';

function limits(svc: ComposeService): PNode | undefined {
  const deploy = svc.get('deploy');
  const resources = deploy?.kind === 'map' ? deploy.get('resources') : undefined;
  return resources?.kind === 'map' ? resources.get('limits') : undefined;
}

export const rule: Rule = {
  meta: {
    id: 'compose/no-resource-limits',
    severity: 'low',
    title: 'no memory or pids limit',
    rationale: 'Without a memory limit one runaway container (a model load, a tool loop) takes the host\'s memory and the OOM killer picks other services; without a pids limit a fork bomb takes the process table.',
    remediation: 'Set `deploy.resources.limits.memory` (or `mem_limit`) and `pids_limit`/`deploy.resources.limits.pids`.',
    refs: ['https://docs.docker.com/reference/compose-file/deploy/#resources', 'https://www.cisecurity.org/benchmark/docker'],
    anchors: 'K, CIS 5.11/5.29',
    formats: ['compose'],
    messages: { missing: 'service {service} has no {what} limit' },
  },
  check(doc) {
    if (doc.format !== 'compose') return [];
    const out: Report[] = [];
    for (const svc of doc.services) {
      const l = limits(svc);
      const memory = svc.get('mem_limit') !== undefined || (l?.kind === 'map' && l.get('memory') !== undefined);
      const pids = svc.get('pids_limit') !== undefined || (l?.kind === 'map' && l.get('pids') !== undefined);
      const what = [memory ? '' : 'memory', pids ? '' : 'pids'].filter(Boolean).join(' or ');
      if (what) out.push({ message: fmt(this.meta.messages.missing, { service: svc.name, what }), at: svc.at, key: svc.name });
    }
    return out;
  },
};
