import ignore from 'ignore';
import { fmt, type Report, type Rule } from '../../types.js';

export const rule: Rule = {
  meta: {
    id: 'dockerfile/copy-all-without-dockerignore',
    severity: 'medium',
    title: 'COPY . without a .dockerignore excluding .env and .git',
    rationale: '`COPY . .` sends the whole build context into the image: the deploy `.env`, `.git` (with history and sometimes credentials in its config), local keys. A `.dockerignore` beside the Dockerfile that excludes them is the only thing standing in the way.',
    remediation: 'Add a `.dockerignore` next to the Dockerfile with at least `.env`, `.env.*`, `.git`, `*.pem`, `node_modules`, or copy only the paths the image needs.',
    refs: ['https://docs.docker.com/build/concepts/context/#dockerignore-files'],
    formats: ['dockerfile'],
    messages: { none: '{kind} {src} copies the whole build context and there is no .dockerignore', missing: '{kind} {src} copies the whole build context and .dockerignore does not exclude {what}' },
  },
  check(doc) {
    if (doc.format !== 'dockerfile') return [];
    const out: Report[] = [];
    let missing: string[] | undefined;
    if (doc.dockerignore !== null) {
      const ig = ignore().add(doc.dockerignore);
      missing = ['.env', '.git'].filter((p) => !ig.ignores(p) && !ig.ignores(`${p}/`));
    }
    for (const i of doc.instructions) {
      if ((i.keyword !== 'COPY' && i.keyword !== 'ADD') || i.flags['from']) continue;
      const words = i.rest.split(/\s+/).filter(Boolean);
      const src = words.slice(0, -1).find((w) => w === '.' || w === './' || w === './.' || w === '*');
      if (!src) continue;
      if (missing === undefined) out.push({ message: fmt(this.meta.messages.none, { kind: i.keyword, src }), at: i.at, key: `${i.keyword}:${src}` });
      else if (missing.length > 0) out.push({ message: fmt(this.meta.messages.missing, { kind: i.keyword, src, what: missing.join(' and ') }), at: i.at, key: `${i.keyword}:${src}` });
    }
    return out;
  },
};
