import { fmt, type Report, type Rule } from '../../types.js';

const SOCKET = /(?:^|\/)(?:docker|podman|containerd)\.sock$|^\/var\/run\/docker$|^\/run\/containerd/;

export const rule: Rule = {
  meta: {
    id: 'compose/docker-socket',
    severity: 'critical',
    title: 'Docker socket mounted into a container',
    rationale: 'The Docker API socket is root on the host: whoever can talk to it can start a privileged container that mounts `/`. Read-only (`:ro`) does not help — it only stops replacing the socket file, not calling the API.',
    remediation: 'Remove the mount. If a proxy needs container discovery, put a filtering socket proxy (read-only API subset) in between, or use the file provider.',
    refs: ['https://docs.docker.com/engine/security/#docker-daemon-attack-surface', 'https://www.cisecurity.org/benchmark/docker'],
    anchors: 'K, CIS 5.32',
    formats: ['compose'],
    supersedes: ['compose/sensitive-host-mount'],
    messages: { socket: 'service {service} mounts the container runtime socket {source}' },
  },
  check(doc) {
    if (doc.format !== 'compose') return [];
    const out: Report[] = [];
    for (const svc of doc.services) {
      for (const v of svc.volumes) {
        const src = v.source ?? v.sourceRaw ?? '';
        if (v.type === 'bind' && SOCKET.test(src.replace(/\/+$/, ''))) out.push({ message: fmt(this.meta.messages.socket, { service: svc.name, source: src }), at: v.at, key: `${svc.name}:${src}` });
      }
    }
    return out;
  },
};
