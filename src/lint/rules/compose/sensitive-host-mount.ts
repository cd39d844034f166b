import { fmt, type Report, type Rule } from '../../types.js';

const EXACT = new Set(['/', '/etc', '/proc', '/sys', '/root', '/boot', '/dev', '/var/lib/docker', '/var/run', '/run', '/usr', '/lib', '/bin', '/sbin', '/home']);
const UNDER = /^(?:\/proc|\/sys|\/root|\/boot|\/var\/lib\/docker|\/var\/lib\/kubelet|\/etc\/(?:shadow|sudoers|passwd|ssh|kubernetes|docker|systemd|cron)|\/dev\/mem)(?:\/|$)/;
const HOME_SECRET = /^(?:~|\$\{?HOME\}?|\/home\/[^/]+|\/Users\/[^/]+|\/root)\/\.(?:ssh|aws|docker|kube|gnupg|azure|config\/gcloud|netrc|git-credentials|npmrc|pypirc)(?:\/|$)/;

export const rule: Rule = {
  meta: {
    id: 'compose/sensitive-host-mount',
    severity: 'high',
    title: 'sensitive host path mounted',
    rationale: 'Mounting `/`, `/etc`, `/proc`, `/sys`, `/root` or credential directories (`~/.ssh`, `~/.aws`, `~/.docker`, `~/.kube`) hands the container the host\'s configuration and secrets; writable, it can plant SSH keys or cron jobs for a host takeover.',
    remediation: 'Mount only the specific file or directory needed, read-only (`:ro`), and pass credentials as Docker secrets rather than the whole directory.',
    refs: ['https://docs.docker.com/engine/storage/bind-mounts/', 'https://www.cisecurity.org/benchmark/docker'],
    anchors: 'K, CIS 5.6',
    formats: ['compose'],
    messages: { mount: 'service {service} mounts host path {source}{mode}' },
  },
  check(doc) {
    if (doc.format !== 'compose') return [];
    const out: Report[] = [];
    for (const svc of doc.services) {
      for (const v of svc.volumes) {
        if (v.type !== 'bind') continue;
        const src = (v.sourceRaw ?? '').trim();
        const resolved = (v.source ?? src).replace(/\/+$/, '') || '/';
        const hit = EXACT.has(resolved) || UNDER.test(resolved) || HOME_SECRET.test(src) || HOME_SECRET.test(resolved);
        if (hit) out.push({ message: fmt(this.meta.messages.mount, { service: svc.name, source: src, mode: v.readOnly ? ' (read-only)' : ' read-write' }), at: v.at, key: `${svc.name}:${src}` });
      }
    }
    return out;
  },
};
