import { finalStage, parentStage } from '../../dockerfile-helpers.js';
import { fmt, type Report, type Rule } from '../../types.js';

export const rule: Rule = {
  meta: {
    id: 'dockerfile/no-healthcheck',
    severity: 'low',
    title: 'image has no HEALTHCHECK',
    rationale: 'Without a HEALTHCHECK, Docker reports a hung or half-started container as running, so restart policies and dependent services cannot react. (Orchestrators with their own probes, such as Kubernetes, ignore it: suppress there with a reason. A compose service that builds the image and defines a healthcheck counts.)',
    remediation: 'Add `HEALTHCHECK --interval=30s --timeout=3s CMD curl -fsS http://localhost:8080/health || exit 1` (or a tiny built-in probe for distroless images).',
    refs: ['https://docs.docker.com/reference/dockerfile/#healthcheck', 'https://github.com/hadolint/hadolint/wiki/DL3057'],
    anchors: 'H DL3057, T, C',
    formats: ['dockerfile'],
    messages: { missing: 'final stage ({image}) has no HEALTHCHECK', none: 'HEALTHCHECK NONE disables the health check' },
  },
  check(doc) {
    if (doc.format !== 'dockerfile') return [];
    const stage = finalStage(doc);
    if (!stage) return [];
    const hc = [...stage.instructions].reverse().find((i) => i.keyword === 'HEALTHCHECK');
    if (!hc) {
      // Cross-file: the compose service that builds this image defines the healthcheck.
      if (doc.composeHealthcheck) return [];
      // A HEALTHCHECK in the stage it builds on is inherited.
      let inherited = false;
      const seen = new Set<number>();
      for (let p = parentStage(doc, stage); p && !seen.has(p.index); p = parentStage(doc, p)) {
        seen.add(p.index);
        const hc = [...p.instructions].reverse().find((i) => i.keyword === 'HEALTHCHECK');
        if (hc) {
          inherited = !/^NONE\b/i.test(hc.rest.trim());
          break;
        }
      }
      return inherited ? [] : [{ message: fmt(this.meta.messages.missing, { image: stage.image }), at: stage.from.at, key: 'missing' }];
    }
    if (/^NONE\b/i.test(hc.rest.trim())) return [{ message: this.meta.messages.none as string, at: hc.at, key: 'none' }];
    return [] as Report[];
  },
};
