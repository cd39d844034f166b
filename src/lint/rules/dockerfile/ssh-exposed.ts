import { locateIn } from '../../parse/dockerfile.js';
import { runs } from '../../dockerfile-helpers.js';
import type { Report, Rule } from '../../types.js';

const INSTALL_SSHD = /\b(?:apt-get|apt|apk|yum|dnf|microdnf|zypper)\b[^;&|\n]*\b(?:install|add)\b[^;&|\n]*(?:\bopenssh-server\b|\bopenssh(?=\s|$)|\bdropbear\b|\bssh-server\b)/;

export const rule: Rule = {
  meta: {
    id: 'dockerfile/ssh-exposed',
    severity: 'medium',
    title: 'SSH server in the image',
    rationale: 'An SSH daemon in a container is a second, password- or key-guessable way in that bypasses the orchestrator\'s access control and audit; `docker exec` (or `kubectl exec`) already gives operators a shell.',
    remediation: 'Remove openssh-server and `EXPOSE 22`; use `docker exec`/`kubectl exec` for access.',
    refs: ['https://www.cisecurity.org/benchmark/docker'],
    anchors: 'T, C, CIS 5.7',
    formats: ['dockerfile'],
    messages: { expose: 'EXPOSE 22 publishes SSH', install: 'RUN installs an SSH server' },
  },
  check(doc) {
    if (doc.format !== 'dockerfile') return [];
    const out: Report[] = [];
    for (const i of doc.instructions) if (i.keyword === 'EXPOSE' && i.rest.split(/\s+/).some((p) => /^22(?:\/tcp)?$/i.test(p))) out.push({ message: this.meta.messages.expose as string, at: i.at, key: 'expose-22' });
    for (const { instr, script } of runs(doc)) if (INSTALL_SSHD.test(script)) out.push({ message: this.meta.messages.install as string, at: locateIn(instr, /openssh|dropbear|ssh-server/), key: 'install-sshd' });
    return out;
  },
};
