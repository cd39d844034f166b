import { isKnownDefaultSecret } from '../../../core/secrets/weak.js';
import { datastorePort } from '../../images.js';
import { isOn, isPublicPort, parseImage, portList, written } from '../../rule-helpers.js';
import { fmt, type Report, type Rule } from '../../types.js';

/** Stores that are vector stores first: every port they publish is this rule's (general datastores share theirs). */
const VECTOR_FIRST = /(?:^|\/)(?:qdrant|chroma|chromadb|milvus|milvus-standalone|weaviate|meilisearch|lancedb|vespa|marqo)(?:$|[-/])/;
const VECTOR = /(?:^|\/)(?:qdrant|chroma|chromadb|milvus|milvus-standalone|weaviate|pgvector|redis|redis-stack|redis-stack-server|meilisearch|lancedb|vespa|marqo|valkey)(?:$|[-/])/;
/** Keys that, once set, mean the store asks for credentials. */
const AUTH_KEY = /^(?:QDRANT__SERVICE__API_KEY|CHROMA_SERVER_AUTHN_CREDENTIALS|CHROMA_SERVER_AUTH_CREDENTIALS|CHROMA_SERVER_AUTHN_PROVIDER|MEILI_MASTER_KEY|AUTHENTICATION_APIKEY_ENABLED|AUTHENTICATION_OIDC_ENABLED|POSTGRES_PASSWORD|REDIS_PASSWORD|COMMON_SECURITY_AUTHORIZATIONENABLED|MILVUS_ROOT_PASSWORD)$/;

export const rule: Rule = {
  meta: {
    id: 'agent/vector-store-exposed',
    severity: 'high',
    title: 'vector store published or open to anonymous access',
    rationale:
      'The vector store holds the agent\'s memory and every document it was given, and writing to it poisons future answers. Qdrant, Chroma, Weaviate and Meilisearch run without authentication by default; published on all interfaces they are readable and writable by anyone. Ports in the datastore list are reported by compose/datastore-port-published; default passwords by agent/default-secret.',
    remediation: 'Do not publish the store\'s port (the agent reaches it over the compose network), and turn its authentication on (`QDRANT__SERVICE__API_KEY`, `CHROMA_SERVER_AUTHN_PROVIDER`, `MEILI_MASTER_KEY`, Weaviate API keys).',
    refs: ['https://qdrant.tech/documentation/guides/security/', 'https://cwe.mitre.org/data/definitions/306.html'],
    formats: ['compose'],
    supersedes: ['compose/port-all-interfaces', 'agent/port-exposed', 'compose/datastore-port-published'],
    messages: { published: '{service} ({store}) publishes {ports} on all interfaces{auth}', anonymous: '{setting} lets anyone read and write the vector store' },
  },
  check(doc) {
    if (doc.format !== 'compose') return [];
    const out: Report[] = [];
    for (const svc of doc.services) {
      const img = svc.image?.value ?? svc.image?.raw;
      if (!img) continue;
      const ref = parseImage(img);
      if (!VECTOR.test(ref.repo)) continue;
      const auth = svc.environment.some((e) => AUTH_KEY.test(e.name) && e.value !== undefined && e.value !== '' && !isKnownDefaultSecret(e.value));
      // One finding per service, listing its ports; a general datastore's own ports are compose/datastore-port-published's.
      const first = VECTOR_FIRST.test(ref.repo);
      const ports = svc.ports.filter((p) => isPublicPort(p) && p.containerPort !== undefined && (first || datastorePort(ref.repo, p, false) === undefined));
      const head = ports[0];
      if (head) out.push({ message: fmt(this.meta.messages.published, { service: svc.name, store: ref.name, ports: portList(ports), auth: auth ? '' : ' without authentication' }), at: head.at, key: `${svc.name}:ports`, covers: ports.map((p) => p.at.line) });
      for (const e of svc.environment) {
        if (e.name === 'AUTHENTICATION_ANONYMOUS_ACCESS_ENABLED' && isOn(e.value)) out.push({ message: fmt(this.meta.messages.anonymous, { key: e.key, setting: written(e, e.value ?? ''), value: e.value ?? '' }), at: e.valueAt, key: `${svc.name}:${e.key}` });
      }
    }
    return out;
  },
};
