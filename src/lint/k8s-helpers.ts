import type { LintDocument, K8sDocument } from './document.js';
import type { K8sContainer, K8sObject } from './parse/k8s.js';
import { mapAt } from './parse/k8s.js';
import type { PNode } from './parse/yaml.js';

export function asK8s(doc: LintDocument): K8sDocument | undefined {
  return doc.format === 'k8s' ? doc : undefined;
}

/** Every container (init containers too) with the object it belongs to. */
export function containers(doc: K8sDocument): Array<{ obj: K8sObject; c: K8sContainer }> {
  return doc.objects.flatMap((obj) => obj.containers.map((c) => ({ obj, c })));
}

/** A container's securityContext field, else the pod's (for the fields a pod-level context has). */
export function securityField(obj: K8sObject, c: K8sContainer, key: string): PNode | undefined {
  return mapAt(c.node, 'securityContext', key) ?? mapAt(obj.podSpec, 'securityContext', key);
}

export function label(obj: K8sObject, c: K8sContainer): string {
  return `${obj.kind} ${obj.name}, ${c.init ? 'init container' : 'container'} ${c.name}`;
}

export function isTrue(n: PNode | undefined): boolean {
  return n?.kind === 'scalar' && /^true$/i.test(n.raw.trim());
}
