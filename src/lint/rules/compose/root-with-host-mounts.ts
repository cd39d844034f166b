import { str } from '../../parse/yaml.js';
import { fmt, type Report, type Rule } from '../../types.js';

export const rule: Rule = {
  meta: {
    id: 'compose/root-with-host-mounts',
    severity: 'medium',
    title: 'runs as root with host bind mounts',
    rationale: 'Root in the container is root on the files of a bind mount: it can write setuid binaries, change ownership and edit anything in the mounted host path, which survives the container.',
    remediation: 'Run as an unprivileged user (`user: "1000:1000"`) that owns the mounted paths, or mount read-only.',
    refs: ['https://docs.docker.com/engine/security/userns-remap/'],
    formats: ['compose'],
    messages: { root: 'service {service} runs as {user} with host bind mounts ({source})' },
  },
  check(doc) {
    if (doc.format !== 'compose') return [];
    const out: Report[] = [];
    for (const svc of doc.services) {
      const n = svc.get('user');
      const user = str(n)?.trim();
      if (user === undefined || !/^(?:root|0)(?::(?:root|0))?$/.test(user)) continue;
      const binds = svc.volumes.filter((v) => v.type === 'bind' && !v.readOnly);
      if (binds.length > 0) out.push({ message: fmt(this.meta.messages.root, { service: svc.name, user, source: binds.map((b) => b.sourceRaw ?? '').join(', ') }), at: n?.at ?? svc.at, key: svc.name });
    }
    return out;
  },
};
