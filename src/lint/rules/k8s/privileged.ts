import { asK8s, containers, isTrue, label } from '../../k8s-helpers.js';
import { mapAt } from '../../parse/k8s.js';
import { fmt, type Report, type Rule } from '../../types.js';

export const rule: Rule = {
  meta: {
    id: 'k8s/privileged',
    severity: 'high',
    title: 'container runs privileged or may escalate privileges',
    rationale: 'A privileged container has every capability and every host device: root in it is root on the node. allowPrivilegeEscalation lets a process gain more privileges than its parent (setuid binaries). For an agent that runs tools, one prompt injection becomes a node compromise.',
    remediation: 'Remove `privileged: true`; set `allowPrivilegeEscalation: false` and drop capabilities (`capabilities: {drop: [ALL]}`) in the container securityContext.',
    refs: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/', 'https://kubernetes.io/docs/tasks/configure-pod-container/security-context/'],
    anchors: 'T, C, KL',
    formats: ['k8s'],
    messages: { privileged: '{where} runs privileged', escalation: '{where} allows privilege escalation' },
  },
  check(doc) {
    const d = asK8s(doc);
    if (!d) return [];
    const out: Report[] = [];
    for (const { obj, c } of containers(d)) {
      const p = mapAt(c.node, 'securityContext', 'privileged');
      if (isTrue(p)) out.push({ message: fmt(this.meta.messages.privileged, { where: label(obj, c) }), at: p?.at ?? c.at, key: `p:${obj.kind}/${obj.name}/${c.name}` });
      const e = mapAt(c.node, 'securityContext', 'allowPrivilegeEscalation');
      if (isTrue(e)) out.push({ message: fmt(this.meta.messages.escalation, { where: label(obj, c) }), at: e?.at ?? c.at, key: `e:${obj.kind}/${obj.name}/${c.name}` });
    }
    return out;
  },
};
