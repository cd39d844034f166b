import { rule } from '../../../../src/lint/rules/agent/vector-store-exposed.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'not published', file: 'compose.yaml', text: 'services:\n  chroma:\n    image: chromadb/chroma:0.6.3\n' },
    { name: 'loopback', file: 'compose.yaml', text: 'services:\n  chroma:\n    image: chromadb/chroma:0.6.3\n    ports:\n      - "127.0.0.1:8000:8000"\n' },
    { name: 'a general datastore\'s own port left to compose/datastore-port-published', file: 'compose.yaml', text: 'services:\n  cache:\n    image: redis/redis-stack:7.4.0-v1\n    ports:\n      - "6379:6379"\n' },
  ],
  invalid: [
    { name: 'Chroma on 8000', file: 'compose.yaml', text: 'services:\n  chroma:\n    image: chromadb/chroma:0.6.3\n    ports:\n      - "8000:8000"\n', at: ['5:9'], message: 'without authentication' },
    { name: 'Qdrant: one finding for all its ports (REST, gRPC)', file: 'compose.yaml', text: 'services:\n  qdrant:\n    image: qdrant/qdrant:v1.12.4\n    ports:\n      - "6333:6333"\n      - "6334:6334"\n', at: [5], message: 'publishes ports 6333:6333, 6334:6334 on all interfaces without authentication' },
    { name: 'Weaviate anonymous access', file: 'compose.yaml', text: 'services:\n  weaviate:\n    image: cr.weaviate.io/semitechnologies/weaviate:1.28.2\n    environment:\n      AUTHENTICATION_ANONYMOUS_ACCESS_ENABLED: "true"\n', at: [5] },
  ],
});
