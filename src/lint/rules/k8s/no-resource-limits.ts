import { asK8s, containers, label } from '../../k8s-helpers.js';
import { mapAt } from '../../parse/k8s.js';
import { fmt, type Report, type Rule } from '../../types.js';

export const rule: Rule = {
  meta: {
    id: 'k8s/no-resource-limits',
    severity: 'low',
    title: 'container without CPU or memory limits',
    rationale: 'Without limits one container (a runaway agent loop, a model loading into RAM, a request flood) can take the node\'s CPU and memory from every other pod, and the OOM killer picks victims at random.',
    remediation: 'Set `resources: {limits: {cpu: "1", memory: 1Gi}}` (and requests) on every container, or a LimitRange in the namespace.',
    refs: ['https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/'],
    anchors: 'T, KL',
    formats: ['k8s'],
    messages: { missing: '{where} has no {what} limit' },
  },
  check(doc) {
    const d = asK8s(doc);
    if (!d) return [];
    const out: Report[] = [];
    for (const { obj, c } of containers(d)) {
      const missing = ['cpu', 'memory'].filter((k) => mapAt(c.node, 'resources', 'limits', k) === undefined);
      if (missing.length > 0) out.push({ message: fmt(this.meta.messages.missing, { where: label(obj, c), what: missing.join(' or ') }), at: c.at, key: `${obj.name}/${c.name}` });
    }
    return out;
  },
};
