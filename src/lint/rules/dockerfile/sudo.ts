import { locateIn } from '../../parse/dockerfile.js';
import { commands, runs } from '../../dockerfile-helpers.js';
import type { Report, Rule } from '../../types.js';

export const rule: Rule = {
  meta: {
    id: 'dockerfile/sudo',
    severity: 'medium',
    title: 'sudo in RUN, or passwordless sudo granted',
    rationale: 'Build steps already run as the current USER; `sudo` in a RUN means sudo is installed and configured in the image, giving anyone who gets a shell as the app user an easy path to root, and it behaves unpredictably without a TTY. A sudoers line with `NOPASSWD` makes that path free (high): an agent that runs tools as that user, or anyone who injects a command into it, is root in the container.',
    remediation: 'Run privileged steps before `USER app` (as root), then switch; use `gosu`/`su-exec` in an entrypoint if a step must drop privileges at runtime; do not write NOPASSWD sudoers entries.',
    refs: ['https://github.com/hadolint/hadolint/wiki/DL3004', 'https://www.sudo.ws/docs/man/sudoers.man/'],
    anchors: 'H DL3004, T, C',
    formats: ['dockerfile'],
    messages: { sudo: 'RUN uses sudo', nopasswd: 'RUN grants passwordless sudo (NOPASSWD): whoever runs as that user is root' },
  },
  check(doc) {
    if (doc.format !== 'dockerfile') return [];
    const out: Report[] = [];
    for (const { instr, script } of runs(doc)) {
      // A sudoers line with NOPASSWD (echoed into /etc/sudoers.d): root for anyone who gets a shell as that user.
      if (/\bNOPASSWD\s*:/.test(script)) out.push({ message: this.meta.messages.nopasswd as string, at: locateIn(instr, /NOPASSWD/), key: `nopasswd:${script.slice(0, 200)}`, severity: 'high' });
      else if (commands(script).some((c) => /^(?:\S+=\S*\s+)*sudo\b/.test(c))) out.push({ message: this.meta.messages.sudo as string, at: locateIn(instr, /\bsudo\b/), key: script.slice(0, 200) });
    }
    return out;
  },
};
