import { asK8s, isTrue } from '../../k8s-helpers.js';
import { mapAt } from '../../parse/k8s.js';
import { str } from '../../parse/yaml.js';
import { fmt, type Report, type Rule } from '../../types.js';

export const rule: Rule = {
  meta: {
    id: 'k8s/host-access',
    severity: 'high',
    title: 'pod shares the node\'s namespaces or mounts a host path',
    rationale: 'hostNetwork, hostPID and hostIPC put the pod in the node\'s namespaces (its loopback services, its processes); a hostPath volume gives it the node\'s files, and the container runtime socket gives it every container on the node.',
    remediation: 'Remove hostNetwork/hostPID/hostIPC; replace hostPath volumes with PersistentVolumeClaims, ConfigMaps or emptyDir; never mount the runtime socket.',
    refs: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline', 'https://kubernetes.io/docs/concepts/storage/volumes/#hostpath'],
    anchors: 'T, KL',
    formats: ['k8s'],
    messages: { namespace: '{kind} {name} sets {key}: true', hostPath: '{kind} {name} mounts host path {path}', socket: '{kind} {name} mounts the container runtime socket {path}' },
  },
  check(doc) {
    const d = asK8s(doc);
    if (!d) return [];
    const out: Report[] = [];
    for (const obj of d.objects) {
      const spec = obj.podSpec;
      if (!spec) continue;
      for (const key of ['hostNetwork', 'hostPID', 'hostIPC']) {
        const v = spec.get(key);
        if (isTrue(v)) out.push({ message: fmt(this.meta.messages.namespace, { kind: obj.kind, name: obj.name, key }), at: v?.at ?? obj.at, key: `${obj.name}:${key}` });
      }
      const vols = spec.get('volumes');
      if (vols?.kind !== 'seq') continue;
      for (const v of vols.items) {
        const hp = mapAt(v, 'hostPath', 'path');
        const path = str(hp);
        if (path === undefined) continue;
        const socket = /(?:docker|containerd|crio|cri-dockerd)\.sock$/.test(path);
        out.push({ message: fmt(socket ? this.meta.messages.socket : this.meta.messages.hostPath, { kind: obj.kind, name: obj.name, path }), at: hp?.at ?? obj.at, key: `${obj.name}:hostPath:${path}` });
      }
    }
    return out;
  },
};
