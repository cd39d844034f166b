import type { ComposeDocument, ComposeService } from '../../document.js';
import { str } from '../../parse/yaml.js';
import { networksOf, redisHasPassword } from '../../compose-helpers.js';
import { isOn, isPublicPort, parseImage, proxyServices } from '../../rule-helpers.js';
import { fmt, type Report, type Rule } from '../../types.js';

const REDIS = /^(?:redis|redis-stack|redis-stack-server|valkey|keydb|dragonfly|dragonflydb)$/;

/** Why the network a service is on is shared beyond the project: the host network, an external network, the proxy's network. */
function sharedNetwork(doc: ComposeDocument, svc: ComposeService): string | undefined {
  if (str(svc.get('network_mode'))?.trim() === 'host') return 'the host network';
  const top = doc.top?.get('networks');
  const proxies = proxyServices(doc).filter((p) => p.name !== svc.name);
  for (const net of networksOf(svc)) {
    const def = top?.kind === 'map' ? top.get(net) : undefined;
    const external = def?.kind === 'map' ? def.get('external') : undefined;
    if (external && (isOn(str(external)) || external.kind === 'map')) return `network ${net}, shared with other projects (external)`;
    const proxy = proxies.find((p) => networksOf(p).includes(net));
    if (proxy) return `network ${net}, shared with the reverse proxy ${proxy.name}`;
  }
  return undefined;
}

export const rule: Rule = {
  meta: {
    id: 'compose/redis-without-password',
    severity: 'high',
    title: 'Redis without a password on a shared network',
    rationale:
      'Redis answers every client on its network without a password unless told otherwise, and holds what agents keep there: task queues, session caches, conversation state. On a network shared beyond its own app (the host network, an external network other projects join, the edge network of the reverse proxy) any compromised neighbour, or an agent following injected instructions, reads it, rewrites queued jobs or loads a module. Published Redis is agent/auth-disabled.',
    remediation: 'Start Redis with a password (`command: redis-server --requirepass ${REDIS_PASSWORD}`, or an ACL file), and put it on a network of its own with the services that use it (`networks: {cache: {internal: true}}`).',
    refs: ['https://redis.io/docs/latest/operate/oss_and_stack/management/security/', 'https://docs.docker.com/engine/network/', 'https://cwe.mitre.org/data/definitions/306.html'],
    formats: ['compose'],
    messages: { open: 'service {service} runs Redis without a password on {where}' },
  },
  check(doc) {
    if (doc.format !== 'compose') return [];
    const out: Report[] = [];
    for (const svc of doc.services) {
      const img = svc.image?.value ?? svc.image?.raw;
      if (!img || !REDIS.test(parseImage(img).name) || redisHasPassword(svc)) continue;
      // Published on all interfaces it is agent/auth-disabled's finding already.
      if (svc.ports.some(isPublicPort)) continue;
      const where = sharedNetwork(doc, svc);
      if (where) out.push({ message: fmt(this.meta.messages.open, { service: svc.name, where }), at: svc.image?.at ?? svc.at, key: `${svc.name}:redis` });
    }
    return out;
  },
};
