import { fmt, type Report, type Rule } from '../../types.js';

export const rule: Rule = {
  meta: {
    id: 'compose/no-new-privileges-missing',
    severity: 'medium',
    title: 'no-new-privileges not set',
    rationale: 'Without `no-new-privileges`, a process in the container can gain privileges through setuid/setgid binaries or file capabilities (sudo, su, ping), turning code execution as an unprivileged user into root in the container.',
    remediation: 'Add `security_opt: ["no-new-privileges:true"]` to the service.',
    refs: ['https://docs.docker.com/reference/cli/docker/container/run/#security-opt', 'https://www.cisecurity.org/benchmark/docker'],
    anchors: 'K, CIS 5.26',
    formats: ['compose'],
    messages: { missing: 'service {service} does not set no-new-privileges' },
  },
  check(doc) {
    if (doc.format !== 'compose') return [];
    const out: Report[] = [];
    for (const svc of doc.services) {
      const n = svc.get('security_opt');
      const set = n?.kind === 'seq' && n.items.some((i) => i.kind === 'scalar' && /^no-new-privileges(?:[:=]true)?$/i.test(i.raw.trim()));
      if (!set) out.push({ message: fmt(this.meta.messages.missing, { service: svc.name }), at: svc.at, key: svc.name });
    }
    return out;
  },
};
