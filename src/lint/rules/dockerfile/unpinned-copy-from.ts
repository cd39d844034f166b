import { parseImage } from '../../rule-helpers.js';
import { fmt, type Report, type Rule } from '../../types.js';

export const rule: Rule = {
  meta: {
    id: 'dockerfile/unpinned-copy-from',
    severity: 'medium',
    title: 'COPY --from an untagged or :latest image',
    rationale: '`COPY --from=<image>` pulls files out of another image at build time; untagged or `:latest`, what gets copied (often a binary that then runs in your image) changes silently.',
    remediation: 'Pin the source image to a version tag and digest: `COPY --from=ghcr.io/astral-sh/uv:0.5.4@sha256:… /uv /bin/`.',
    refs: ['https://docs.docker.com/reference/dockerfile/#copy---from'],
    formats: ['dockerfile'],
    messages: { unpinned: 'COPY --from={image} is not pinned to a tag' },
  },
  check(doc) {
    if (doc.format !== 'dockerfile') return [];
    const out: Report[] = [];
    const aliases = new Set(doc.stages.map((s) => s.alias?.toLowerCase()).filter((a): a is string => a !== undefined));
    for (const i of doc.instructions) {
      if (i.keyword !== 'COPY' && i.keyword !== 'ADD') continue;
      const from = i.flags['from'];
      if (!from || /^\d+$/.test(from) || aliases.has(from.toLowerCase()) || from.includes('$')) continue;
      const ref = parseImage(from);
      if (ref.digest) continue;
      if (ref.tag === undefined || ref.tag === 'latest') out.push({ message: fmt(this.meta.messages.unpinned, { image: from }), at: i.at, key: from });
    }
    return out;
  },
};
