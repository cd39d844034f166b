import { locateIn } from '../../parse/dockerfile.js';
import { runs } from '../../dockerfile-helpers.js';
import { fmt, type Report, type Rule } from '../../types.js';

const PATTERNS: ReadonlyArray<{ re: RegExp; what: string }> = [
  { re: /\bchpasswd\b/, what: 'chpasswd' },
  { re: /\|\s*passwd\b|\bpasswd\b[^;&|\n]*--stdin/, what: 'passwd from a pipe' },
  { re: /\buseradd\b[^;&|\n]*\s-p\s+\S+|\busermod\b[^;&|\n]*\s-p\s+\S+/, what: 'useradd/usermod -p' },
  { re: /--password[= ](?!["']?\$)["']?[^\s"'$]{2,}/, what: '--password with a literal' },
  { re: /\b(?:mysql|mysqladmin|mariadb)\b[^;&|\n]*\s-p(?!\s|\$)[^\s"'$]+/, what: 'mysql -p<password>' },
  { re: /\b[A-Z_]*PASSWORD\s*=\s*["']?(?!\$)[^\s"'$;&|]{2,}/, what: 'a literal PASSWORD= assignment' },
  { re: /\bhtpasswd\b[^;&|\n]*\s-b\s/, what: 'htpasswd -b' },
  // VNC servers of agent desktops (computer-use images): a literal password stored or passed on the command line.
  { re: /\bx11vnc\b[^;&|\n]*\s-(?:storepasswd|passwd)\s+(?!["']?\$)["']?[^\s"'$;&|]+/, what: 'x11vnc -storepasswd/-passwd with a literal' },
  { re: /\b(?:echo|printf)\s+(?!["']?\$)["']?[^\s"'$|;&]+["']?\s*\|\s*(?:tiger|tight)?vncpasswd\b/, what: 'a literal piped into vncpasswd' },
];

export const rule: Rule = {
  meta: {
    id: 'dockerfile/password-in-run',
    severity: 'high',
    title: 'password set or written in RUN',
    rationale: 'The RUN command line is recorded in the image history (`docker history --no-trunc`), so a password typed into it ships with the image; a password baked in with chpasswd is also the same on every container.',
    remediation: 'Do not set passwords at build time: use key-based or no login, set credentials at runtime from a secret, or use `RUN --mount=type=secret`.',
    refs: ['https://docs.docker.com/build/building/secrets/', 'https://cwe.mitre.org/data/definitions/259.html'],
    anchors: 'C',
    formats: ['dockerfile'],
    messages: { password: 'RUN sets a password ({what})' },
  },
  check(doc) {
    if (doc.format !== 'dockerfile') return [];
    const out: Report[] = [];
    for (const { instr, script } of runs(doc)) {
      const hit = PATTERNS.find((p) => p.re.test(script));
      if (hit) out.push({ message: fmt(this.meta.messages.password, { what: hit.what }), at: locateIn(instr, hit.re), key: `${hit.what}:${instr.rest.slice(0, 100)}` });
    }
    return out;
  },
};
