import { locateIn } from '../../parse/dockerfile.js';
import { commands, runs } from '../../dockerfile-helpers.js';
import type { Report, Rule } from '../../types.js';

export const rule: Rule = {
  meta: {
    id: 'dockerfile/sudo',
    severity: 'medium',
    title: 'sudo in RUN',
    rationale: 'Build steps already run as the current USER; `sudo` in a RUN means sudo is installed and configured in the image, giving anyone who gets a shell as the app user an easy path to root, and it behaves unpredictably without a TTY.',
    remediation: 'Run privileged steps before `USER app` (as root), then switch; use `gosu`/`su-exec` in an entrypoint if a step must drop privileges at runtime.',
    refs: ['https://github.com/hadolint/hadolint/wiki/DL3004'],
    anchors: 'H DL3004, T, C',
    formats: ['dockerfile'],
    messages: { sudo: 'RUN uses sudo' },
  },
  check(doc) {
    if (doc.format !== 'dockerfile') return [];
    const out: Report[] = [];
    for (const { instr, script } of runs(doc)) {
      if (commands(script).some((c) => /^(?:\S+=\S*\s+)*sudo\b/.test(c))) out.push({ message: this.meta.messages.sudo as string, at: locateIn(instr, /\bsudo\b/), key: script.slice(0, 200) });
    }
    return out;
  },
};
