import { fmt, type Report, type Rule } from '../../types.js';

const SECRET_FILE = /(?:^|\/)(?:\.env(?:\.(?!example|sample|template|dist)[\w-]+)?|[^/]*\.pem|[^/]*\.key|[^/]*\.p12|[^/]*\.pfx|id_(?:rsa|dsa|ecdsa|ed25519)(?:\.pub)?|credentials(?:\.json)?|\.npmrc|\.pypirc|\.netrc|\.git-credentials|\.dockercfg|service-account[^/]*\.json|secrets?\.(?:json|ya?ml|toml|env))$/i;

function sources(rest: string): string[] {
  const exec = /^\s*\[([\s\S]*)\]\s*$/.exec(rest);
  let words: string[];
  if (exec) {
    try {
      words = (JSON.parse(`[${exec[1]}]`) as unknown[]).map(String);
    } catch {
      words = rest.split(/\s+/);
    }
  } else words = rest.split(/\s+/).filter(Boolean);
  return words.slice(0, -1).filter((w) => !w.startsWith('<<'));
}

export const rule: Rule = {
  meta: {
    id: 'dockerfile/secret-file-copied',
    severity: 'high',
    title: 'secret file copied into the image',
    rationale: 'A `.env`, private key or credentials file copied into a layer stays in the image forever (deleting it in a later layer does not remove it) and ships to every registry and host the image reaches.',
    remediation: 'Do not copy it: mount it at build time with `RUN --mount=type=secret`, or provide it at runtime (volume, Docker/Kubernetes secret); add it to `.dockerignore`.',
    refs: ['https://docs.docker.com/build/building/secrets/', 'https://cwe.mitre.org/data/definitions/538.html'],
    anchors: 'T',
    formats: ['dockerfile'],
    messages: { copied: '{kind} copies {file} into the image' },
  },
  check(doc) {
    if (doc.format !== 'dockerfile') return [];
    const out: Report[] = [];
    for (const i of doc.instructions) {
      if (i.keyword !== 'COPY' && i.keyword !== 'ADD') continue;
      if (i.flags['from']) continue;
      const hits = sources(i.rest).filter((src) => SECRET_FILE.test(src.replace(/\/+$/, '')));
      if (hits.length > 0) out.push({ message: fmt(this.meta.messages.copied, { kind: i.keyword, file: hits.join(', ') }), at: i.at, key: hits.join(',') });
    }
    return out;
  },
};
