import { fmt, type Report, type Rule } from '../../types.js';

export const rule: Rule = {
  meta: {
    id: 'compose/unconfined-security-profile',
    severity: 'high',
    title: 'seccomp, AppArmor or SELinux confinement switched off',
    rationale: 'The default seccomp profile blocks ~50 dangerous syscalls (keyctl, mount, kernel module loading) and AppArmor/SELinux confine file access; most container escapes need one of these off.',
    remediation: 'Remove `seccomp:unconfined`/`apparmor:unconfined`/`label:disable`; if a syscall is missing, write a custom seccomp profile that adds just it.',
    refs: ['https://docs.docker.com/engine/security/seccomp/', 'https://www.cisecurity.org/benchmark/docker'],
    anchors: 'K, CIS 5.22',
    formats: ['compose'],
    messages: { opt: 'service {service} sets security_opt {opt}' },
  },
  check(doc) {
    if (doc.format !== 'compose') return [];
    const out: Report[] = [];
    for (const svc of doc.services) {
      const n = svc.get('security_opt');
      if (n?.kind !== 'seq') continue;
      for (const item of n.items) {
        if (item.kind !== 'scalar') continue;
        const opt = item.raw.trim();
        if (/^(?:seccomp|apparmor)[:=]unconfined$|^label[:=]disable$|^systempaths[:=]unconfined$/i.test(opt)) out.push({ message: fmt(this.meta.messages.opt, { service: svc.name, opt }), at: item.at, key: `${svc.name}:${opt}` });
      }
    }
    return out;
  },
};
