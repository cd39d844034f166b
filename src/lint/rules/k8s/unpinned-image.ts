import { asK8s, containers, label } from '../../k8s-helpers.js';
import { parseImage } from '../../rule-helpers.js';
import { FLOATING } from '../compose/unpinned-image.js';
import { fmt, type Report, type Rule } from '../../types.js';

export const rule: Rule = {
  meta: {
    id: 'k8s/unpinned-image',
    severity: 'medium',
    title: 'container image untagged or on a moving tag',
    rationale: 'An untagged image or a moving tag (:latest, :main, :dev) changes under you: each node pull may run different code, a rollback does not roll back, and a compromised upstream tag reaches the cluster on the next restart.',
    remediation: 'Pin a version tag, better a digest: `image: ghcr.io/org/app:1.4.2@sha256:…`.',
    refs: ['https://kubernetes.io/docs/concepts/containers/images/#image-names'],
    anchors: 'T',
    formats: ['k8s'],
    messages: { unpinned: '{where} uses {image}, which is not pinned' },
  },
  check(doc) {
    const d = asK8s(doc);
    if (!d) return [];
    const out: Report[] = [];
    for (const { obj, c } of containers(d)) {
      const raw = c.image?.raw.trim();
      if (!raw || raw.includes('$') || raw.includes('{{')) continue;
      const ref = parseImage(raw);
      if (ref.digest) continue;
      if (ref.tag === undefined || FLOATING.has(ref.tag.toLowerCase())) out.push({ message: fmt(this.meta.messages.unpinned, { where: label(obj, c), image: raw }), at: c.image?.at ?? c.at, key: `${obj.name}/${c.name}` });
    }
    return out;
  },
};
