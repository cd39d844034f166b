import { locateIn } from '../../parse/dockerfile.js';
import { runs } from '../../dockerfile-helpers.js';
import { type Report, type Rule } from '../../types.js';

const PIPE = /\b(?:curl|wget)\b[^|;&\n]*\|\s*(?:sudo\s+(?:-\S+\s+)*)?(?:\/(?:usr\/)?bin\/)?(?:ba|z|da|k|a)?sh\b|\b(?:curl|wget)\b[^|;&\n]*\|\s*(?:sudo\s+)?(?:python[0-9.]*|perl|ruby|node)\b/;
const SUBST = /(?:ba|z)?sh\s+-c\s+["']?\$\((?:curl|wget)\b|(?:ba|z)?sh\s+<\(\s*(?:curl|wget)\b/;

export const rule: Rule = {
  meta: {
    id: 'dockerfile/curl-pipe-shell',
    severity: 'high',
    title: 'remote script piped into a shell',
    rationale: '`curl … | sh` runs whatever the server returns at build time, unverified and unpinned: a compromised CDN, a hijacked domain or a changed script becomes code in your image. A partial download can also run half a script.',
    remediation: 'Download to a file, verify a pinned checksum or signature, then run it: `curl -fsSLo install.sh <url> && echo "<sha256>  install.sh" | sha256sum -c - && sh install.sh`; better, install a pinned package.',
    refs: ['https://cwe.mitre.org/data/definitions/494.html'],
    formats: ['dockerfile'],
    messages: { pipe: 'RUN pipes a downloaded script straight into a shell' },
  },
  check(doc) {
    if (doc.format !== 'dockerfile') return [];
    const out: Report[] = [];
    for (const { instr, script } of runs(doc)) {
      if (PIPE.test(script) || SUBST.test(script)) out.push({ message: this.meta.messages.pipe as string, at: locateIn(instr, /\b(?:curl|wget)\b/), key: script.slice(0, 200) });
    }
    return out;
  },
};
