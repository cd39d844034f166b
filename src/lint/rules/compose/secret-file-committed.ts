import { fmt, type Report, type Rule } from '../../types.js';

export const rule: Rule = {
  meta: {
    id: 'compose/secret-file-committed',
    severity: 'high',
    title: 'Docker secret read from a file that git does not ignore',
    rationale:
      'Compose `secrets:` with `file:` keep a secret out of the environment and out of `docker inspect`, but the file itself sits in the project directory: unless git ignores it, one `git add .` commits the password or key with the compose file, and every clone, fork and CI log of the repository has it. Only files inside a git work tree are judged; the value is never read into the finding.',
    remediation: 'Add the secrets directory to `.gitignore` (`secrets/`), remove a committed file from the history (`git rm --cached`, then rotate the value), and create the file at deploy time (`openssl rand -hex 32 > secrets/db_password`).',
    refs: ['https://docs.docker.com/compose/how-tos/use-secrets/', 'https://git-scm.com/docs/gitignore', 'https://cwe.mitre.org/data/definitions/540.html'],
    formats: ['compose'],
    messages: { committed: 'secret {name} is read from {file}, which git does not ignore: it is committed with the project' },
  },
  check(doc) {
    if (doc.format !== 'compose') return [];
    const out: Report[] = [];
    for (const s of doc.secretFiles ?? []) {
      if (s.ignored !== false) continue;
      out.push({ message: fmt(this.meta.messages.committed, { name: s.name, file: s.file }), at: s.at, key: `secret:${s.name}` });
    }
    return out;
  },
};
