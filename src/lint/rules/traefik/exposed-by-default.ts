import { traefikModel } from '../../traefik-model.js';
import { fmt, type Report, type Rule } from '../../types.js';

export const rule: Rule = {
  meta: {
    id: 'traefik/exposed-by-default',
    severity: 'medium',
    title: 'Traefik exposes every Docker container by default',
    rationale: 'With the Docker provider\'s exposedByDefault (true unless set), every container on the host gets a router, including databases, vector stores and internal agent APIs that were never meant to be public. Opt-in (`traefik.enable=true`) makes exposure a deliberate act.',
    remediation: 'Set `providers.docker.exposedByDefault: false` (`--providers.docker.exposedbydefault=false`) and label the services to publish with `traefik.enable=true`.',
    refs: ['https://doc.traefik.io/traefik/providers/docker/#exposedbydefault'],
    formats: ['traefik', 'compose'],
    messages: { exposed: 'the Docker provider exposes every container (exposedByDefault is {value})' },
  },
  check(doc) {
    const m = traefikModel(doc);
    if (!m) return [];
    const docker = m.get('providers.docker') ?? m.under('providers.docker')[0];
    if (!docker || /^false$/i.test(m.get('providers.docker')?.value ?? '')) return [];
    const e = m.get('providers.docker.exposedbydefault');
    if (e && /^false$/i.test(e.value.trim())) return [];
    const out: Report[] = [{ message: fmt(this.meta.messages.exposed, { value: e ? e.value : 'not set, so true' }), at: (e ?? docker).at, key: 'exposed' }];
    return out;
  },
};
