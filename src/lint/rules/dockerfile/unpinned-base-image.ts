import { expandArgs, globalArgs } from '../../dockerfile-helpers.js';
import { parseImage } from '../../rule-helpers.js';
import { fmt, type Report, type Rule } from '../../types.js';

export const rule: Rule = {
  meta: {
    id: 'dockerfile/unpinned-base-image',
    severity: 'medium',
    title: 'base image untagged or :latest',
    rationale: 'An untagged or `:latest` base changes from one build to the next: builds stop being reproducible, and a compromised or broken upstream release flows straight into your image.',
    remediation: 'Pin a version tag (`FROM node:22.11-bookworm-slim`), ideally with a digest (`@sha256:…`) kept current by Dependabot or Renovate.',
    refs: ['https://github.com/hadolint/hadolint/wiki/DL3006', 'https://github.com/hadolint/hadolint/wiki/DL3007', 'https://docs.docker.com/build/building/best-practices/#from'],
    anchors: 'H DL3006/7, T, C',
    formats: ['dockerfile'],
    messages: { untagged: 'FROM {image} has no tag', latest: 'FROM {image} uses :latest' },
  },
  check(doc) {
    if (doc.format !== 'dockerfile') return [];
    const out: Report[] = [];
    const args = globalArgs(doc);
    const aliases = new Set<string>();
    for (const stage of doc.stages) {
      const image = expandArgs(stage.image, args);
      const known = aliases.has(image.toLowerCase());
      if (stage.alias) aliases.add(stage.alias.toLowerCase());
      if (known || image.toLowerCase() === 'scratch' || image.includes('$')) continue;
      const ref = parseImage(image);
      if (ref.digest) continue;
      if (ref.tag === undefined) out.push({ message: fmt(this.meta.messages.untagged, { image }), at: stage.from.at, key: image });
      else if (ref.tag === 'latest') out.push({ message: fmt(this.meta.messages.latest, { image }), at: stage.from.at, key: image });
    }
    return out;
  },
};
