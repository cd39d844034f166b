import { locateIn } from '../../parse/dockerfile.js';
import type { Report, Rule } from '../../types.js';

export const rule: Rule = {
  meta: {
    id: 'dockerfile/pipe-without-pipefail',
    severity: 'low',
    title: 'RUN with a pipe and no pipefail',
    rationale: 'A shell pipeline returns the status of its last command, so `curl … | tar x` succeeds even when the download failed, and the build goes on with a broken or empty result.',
    remediation: 'Start the stage with `SHELL ["/bin/bash", "-o", "pipefail", "-c"]`, or begin the RUN with `set -o pipefail &&` (needs bash, or ash/dash versions that support it).',
    refs: ['https://github.com/hadolint/hadolint/wiki/DL4006'],
    anchors: 'H DL4006',
    formats: ['dockerfile'],
    messages: { pipe: 'RUN uses a pipe without pipefail' },
  },
  check(doc) {
    if (doc.format !== 'dockerfile') return [];
    const out: Report[] = [];
    let pipefailShell = false;
    let stage = -2;
    for (const i of doc.instructions) {
      if (i.stage !== stage) {
        stage = i.stage;
        pipefailShell = false;
      }
      if (i.keyword === 'SHELL') {
        pipefailShell = /pipefail/.test(i.rest) || /pwsh|powershell|cmd/i.test(i.rest);
        continue;
      }
      if (i.keyword !== 'RUN' || pipefailShell) continue;
      if (/^\s*\[/.test(i.rest)) continue;
      const text = [i.rest, ...i.heredocs.map((h) => h.body)].join('\n');
      const bare = text.replace(/'[^']*'|"(?:[^"\\]|\\.)*"/g, '""');
      if (!/(?<!\|)\|(?![|&])/.test(bare)) continue;
      if (/pipefail/.test(text)) continue;
      out.push({ message: this.meta.messages.pipe as string, at: locateIn(i, /(?<!\|)\|(?![|&])/), key: text.slice(0, 200) });
    }
    return out;
  },
};
