import { parseImage } from '../../rule-helpers.js';
import { fmt, type Report, type Rule } from '../../types.js';

export const FLOATING = new Set(['latest', 'main', 'master', 'dev', 'develop', 'nightly', 'edge', 'unstable', 'head', 'canary']);

export const rule: Rule = {
  meta: {
    id: 'compose/unpinned-image',
    severity: 'medium',
    title: 'image untagged or on a floating tag',
    rationale: 'An untagged image or a moving tag (`latest`, `main`, `dev`, `nightly`) changes under you: a deploy can pull an untested or compromised build, and rollbacks cannot name what ran before.',
    remediation: 'Pin a release tag (`ghcr.io/open-webui/open-webui:v0.6.5`), ideally with its digest (`@sha256:…`), and update deliberately.',
    refs: ['https://docs.docker.com/reference/compose-file/services/#image'],
    formats: ['compose'],
    messages: { untagged: 'service {service} uses image {image} without a tag', floating: 'service {service} uses image {image} on the floating tag {tag}' },
  },
  check(doc) {
    if (doc.format !== 'compose') return [];
    const out: Report[] = [];
    for (const svc of doc.services) {
      const img = svc.image;
      const value = img?.value;
      if (!img || value === undefined || value.trim() === '') continue;
      const ref = parseImage(value);
      if (ref.digest) continue;
      if (ref.tag === undefined) out.push({ message: fmt(this.meta.messages.untagged, { service: svc.name, image: value }), at: img.valueAt, key: `${svc.name}:${ref.repo}` });
      else if (FLOATING.has(ref.tag.toLowerCase())) out.push({ message: fmt(this.meta.messages.floating, { service: svc.name, image: value, tag: ref.tag }), at: img.valueAt, key: `${svc.name}:${ref.repo}` });
    }
    return out;
  },
};
