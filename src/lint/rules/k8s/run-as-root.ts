import { asK8s, containers, isTrue, label, securityField } from '../../k8s-helpers.js';
import { fmt, type Report, type Rule } from '../../types.js';

export const rule: Rule = {
  meta: {
    id: 'k8s/run-as-root',
    severity: 'medium',
    title: 'container may run as root',
    rationale: 'Without `runAsNonRoot: true` (or a non-zero runAsUser) the container runs as whatever user the image says, usually root. Root in a container is one kernel bug or one mounted path away from root on the node.',
    remediation: 'Set `securityContext: {runAsNonRoot: true, runAsUser: 10001}` on the pod or the container (and build the image with a non-root USER).',
    refs: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted', 'https://kubernetes.io/docs/tasks/configure-pod-container/security-context/'],
    anchors: 'T, KL',
    formats: ['k8s'],
    messages: { root: '{where} sets runAsUser: 0', missing: '{where} does not set runAsNonRoot: true' },
  },
  check(doc) {
    const d = asK8s(doc);
    if (!d) return [];
    const out: Report[] = [];
    for (const { obj, c } of containers(d)) {
      const user = securityField(obj, c, 'runAsUser');
      const uid = user?.kind === 'scalar' ? user.raw.trim() : undefined;
      if (uid === '0') {
        out.push({ message: fmt(this.meta.messages.root, { where: label(obj, c) }), at: user?.at ?? c.at, key: `root:${obj.name}/${c.name}` });
        continue;
      }
      if (isTrue(securityField(obj, c, 'runAsNonRoot')) || (uid !== undefined && /^[1-9]\d*$/.test(uid))) continue;
      out.push({ message: fmt(this.meta.messages.missing, { where: label(obj, c) }), at: c.at, key: `missing:${obj.name}/${c.name}` });
    }
    return out;
  },
};
