import { asK8s, containers, isTrue, label } from '../../k8s-helpers.js';
import { mapAt } from '../../parse/k8s.js';
import { fmt, type Report, type Rule } from '../../types.js';

export const rule: Rule = {
  meta: {
    id: 'k8s/writable-root-fs',
    severity: 'low',
    title: 'container root filesystem is writable',
    rationale: 'A writable root filesystem lets an attacker (or an agent following injected instructions) drop tools, alter the app\'s code or plant persistence inside the container. Read-only with explicit writable volumes keeps changes where you expect them.',
    remediation: 'Set `readOnlyRootFilesystem: true` in the container securityContext and mount an `emptyDir` where the app must write (/tmp, caches).',
    refs: ['https://kubernetes.io/docs/tasks/configure-pod-container/security-context/'],
    anchors: 'T, KL',
    formats: ['k8s'],
    messages: { writable: '{where} has a writable root filesystem' },
  },
  check(doc) {
    const d = asK8s(doc);
    if (!d) return [];
    const out: Report[] = [];
    for (const { obj, c } of containers(d)) {
      const ro = mapAt(c.node, 'securityContext', 'readOnlyRootFilesystem');
      if (!isTrue(ro)) out.push({ message: fmt(this.meta.messages.writable, { where: label(obj, c) }), at: ro?.at ?? c.at, key: `${obj.name}/${c.name}` });
    }
    return out;
  },
};
