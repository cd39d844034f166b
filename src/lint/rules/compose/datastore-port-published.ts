import { datastorePort } from '../../images.js';
import { isLoopback, parseImage, portList } from '../../rule-helpers.js';
import { fmt, type Report, type Rule } from '../../types.js';

export const rule: Rule = {
  meta: {
    id: 'compose/datastore-port-published',
    severity: 'high',
    title: 'database or datastore port published',
    rationale: 'Databases, caches and search engines (PostgreSQL, MySQL, Redis, MongoDB, Elasticsearch, Meilisearch, ClickHouse, MinIO, Neo4j …) are meant for the application next to them; published, they are scanned for and brute-forced within hours, and several ship without authentication. The store is named by the image where the image says which (all of its ports); a port alone (5432, 3306, 6379, 27017, 9200, 7700) names one only for an image that says nothing, never in a port range, and never for an image known to be something else (Portainer on 9000 is not MinIO). One finding per service lists its ports.',
    remediation: 'Remove the `ports:` entry (services reach each other over the compose network), or bind to 127.0.0.1 for local tools.',
    refs: ['https://cwe.mitre.org/data/definitions/668.html'],
    formats: ['compose'],
    supersedes: ['compose/port-all-interfaces', 'agent/port-exposed'],
    messages: { published: 'service {service} publishes {store} {ports}' },
  },
  check(doc) {
    if (doc.format !== 'compose') return [];
    const out: Report[] = [];
    for (const svc of doc.services) {
      const image = svc.image?.value ?? svc.image?.raw;
      const repo = image !== undefined ? parseImage(image).repo : undefined;
      // The store is named by the image where it says which; a port alone names one only for an image that does not.
      const hits = svc.ports.filter((p) => !isLoopback(p.hostIp)).map((p) => ({ p, store: datastorePort(repo, p, false, svc.name) })).filter((h) => h.store !== undefined);
      const first = hits[0];
      if (first) out.push({ message: fmt(this.meta.messages.published, { service: svc.name, store: first.store?.name ?? '', ports: portList(hits.map((h) => h.p)) }), at: first.p.at, key: `${svc.name}:${first.store?.port}`, covers: hits.map((h) => h.p.at.line) });
    }
    return out;
  },
};
