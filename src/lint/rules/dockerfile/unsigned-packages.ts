import { locateIn } from '../../parse/dockerfile.js';
import { runs } from '../../dockerfile-helpers.js';
import { fmt, type Report, type Rule } from '../../types.js';

const FLAG = /--allow-unauthenticated|--allow-insecure-repositories|AllowUnauthenticated\s+"?true|--force-yes|--nogpgcheck|--no-gpg-check|gpgcheck\s*=\s*0|--allow-untrusted|--skip-signature|--no-check-signature|\[trusted=yes\]|--insecure-skip-tls-verify/;

export const rule: Rule = {
  meta: {
    id: 'dockerfile/unsigned-packages',
    severity: 'high',
    title: 'package signature checks switched off',
    rationale: 'Package managers verify repository signatures so a mirror or a man-in-the-middle cannot substitute packages; `--allow-unauthenticated`, `--force-yes`, `--nogpgcheck`, `--allow-untrusted` or `[trusted=yes]` install whatever arrives.',
    remediation: 'Remove the flag and import the repository\'s signing key (`/etc/apt/keyrings/*.gpg` with `signed-by=`, `rpm --import`).',
    refs: ['https://cwe.mitre.org/data/definitions/494.html'],
    anchors: 'C',
    formats: ['dockerfile'],
    messages: { unsigned: 'RUN installs packages with signature checks off ({flag})' },
  },
  check(doc) {
    if (doc.format !== 'dockerfile') return [];
    const out: Report[] = [];
    for (const { instr, script } of runs(doc)) {
      const m = FLAG.exec(script);
      if (m) out.push({ message: fmt(this.meta.messages.unsigned, { flag: m[0] }), at: locateIn(instr, FLAG), key: m[0] });
    }
    return out;
  },
};
