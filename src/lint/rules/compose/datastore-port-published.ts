import { DATASTORE_PORTS, isLoopback } from '../../rule-helpers.js';
import { fmt, type Report, type Rule } from '../../types.js';

export const rule: Rule = {
  meta: {
    id: 'compose/datastore-port-published',
    severity: 'high',
    title: 'database or datastore port published',
    rationale: 'Databases, caches and search engines (PostgreSQL, MySQL, Redis, MongoDB, Elasticsearch, Meilisearch, ClickHouse, MinIO, Qdrant, Milvus) are meant for the application next to them; published, they are scanned for and brute-forced within hours, and several ship without authentication.',
    remediation: 'Remove the `ports:` entry (services reach each other over the compose network), or bind to 127.0.0.1 for local tools.',
    refs: ['https://cwe.mitre.org/data/definitions/668.html'],
    formats: ['compose'],
    supersedes: ['compose/port-all-interfaces', 'agent/port-exposed'],
    messages: { published: 'service {service} publishes {store} port {port}' },
  },
  check(doc) {
    if (doc.format !== 'compose') return [];
    const out: Report[] = [];
    for (const svc of doc.services) {
      for (const p of svc.ports) {
        if (isLoopback(p.hostIp)) continue;
        const hit = p.containerPorts.find((c) => DATASTORE_PORTS.has(c));
        if (hit !== undefined) out.push({ message: fmt(this.meta.messages.published, { service: svc.name, store: DATASTORE_PORTS.get(hit) ?? '', port: p.raw }), at: p.at, key: `${svc.name}:${hit}` });
      }
    }
    return out;
  },
};
