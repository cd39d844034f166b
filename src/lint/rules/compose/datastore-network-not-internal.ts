import { networksOf } from '../../compose-helpers.js';
import { datastoreImage } from '../../images.js';
import { str } from '../../parse/yaml.js';
import { isOff, parseImage, proxyServices } from '../../rule-helpers.js';
import { fmt, type Report, type Rule } from '../../types.js';

export const rule: Rule = {
  meta: {
    id: 'compose/datastore-network-not-internal',
    severity: 'medium',
    title: 'datastore network explicitly not internal',
    rationale:
      'A compose network declared `internal: true` has no route out: the databases on it cannot be reached from outside the project nor reach the internet, so a compromised or misled container cannot ship the data out from there. A network that carries datastores and says `internal: false` gives up that fence on purpose. Networks with a reverse proxy, or whose services publish ports, need a route and are not reported.',
    remediation: 'Set `internal: true` on the network the datastores share with the services that use them, and give those services a second network for their outside traffic.',
    refs: ['https://docs.docker.com/reference/compose-file/networks/#internal', 'https://www.cisecurity.org/benchmark/docker'],
    formats: ['compose'],
    messages: { open: 'network {network} carries {stores} but sets internal: false' },
  },
  check(doc) {
    if (doc.format !== 'compose') return [];
    const nets = doc.top?.get('networks');
    if (nets?.kind !== 'map') return [];
    const out: Report[] = [];
    const proxies = new Set(proxyServices(doc).map((p) => p.name));
    for (const e of nets.entries) {
      const internal = e.value.kind === 'map' ? e.value.get('internal') : undefined;
      if (internal?.kind !== 'scalar' || !isOff(str(internal))) continue;
      const members = doc.services.filter((s) => networksOf(s).includes(e.key));
      if (members.some((s) => proxies.has(s.name) || s.ports.length > 0)) continue;
      const stores = members.flatMap((s) => {
        const img = s.image?.value ?? s.image?.raw;
        const d = datastoreImage(img !== undefined ? parseImage(img).repo : s.name.toLowerCase());
        return d ? [`${s.name} (${d.name})`] : [];
      });
      if (stores.length === 0) continue;
      out.push({ message: fmt(this.meta.messages.open, { network: e.key, stores: stores.join(', ') }), at: internal.at, key: `net:${e.key}` });
    }
    return out;
  },
};
