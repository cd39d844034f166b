import { str } from '../../parse/yaml.js';
import { fmt, type Report, type Rule } from '../../types.js';

export const rule: Rule = {
  meta: {
    id: 'compose/host-namespaces',
    severity: 'high',
    title: 'container shares a host namespace (pid, ipc, uts, userns)',
    rationale: 'The host PID namespace lets the container see and signal (or ptrace) host processes and read their environment; host IPC exposes shared memory; host UTS lets it change the hostname; `userns_mode: host` turns off user-namespace remapping.',
    remediation: 'Remove `pid: host`, `ipc: host`, `uts: host` and `userns_mode: host`; share a namespace with one named service (`pid: "service:x"`) if really needed.',
    refs: ['https://docs.docker.com/reference/compose-file/services/#pid', 'https://www.cisecurity.org/benchmark/docker'],
    anchors: 'K, CIS 5.15/5.16/5.20/5.30',
    formats: ['compose'],
    messages: { ns: 'service {service} uses {key}: host' },
  },
  check(doc) {
    if (doc.format !== 'compose') return [];
    const out: Report[] = [];
    for (const svc of doc.services) {
      for (const key of ['pid', 'ipc', 'uts', 'userns_mode', 'cgroup']) {
        const n = svc.get(key);
        if (str(n)?.trim() === 'host') out.push({ message: fmt(this.meta.messages.ns, { service: svc.name, key }), at: n?.at ?? svc.at, key: `${svc.name}:${key}` });
      }
    }
    return out;
  },
};
