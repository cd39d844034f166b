import { rule } from '../../../../src/lint/rules/compose/datastore-network-not-internal.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'internal: true', file: 'compose.yaml', text: 'services:\n  db:\n    image: postgres:17\n    networks: [data]\nnetworks:\n  data:\n    internal: true\n' },
    { name: 'not said (the default)', file: 'compose.yaml', text: 'services:\n  db:\n    image: postgres:17\n    networks: [data]\nnetworks:\n  data: {}\n' },
    { name: 'a network with the proxy or published ports needs a route', file: 'compose.yaml', text: 'services:\n  nginx:\n    image: nginx:1.27\n    networks: [web]\n  db:\n    image: postgres:17\n    networks: [web, data]\n  cache:\n    image: redis:7\n    ports: ["127.0.0.1:6379:6379"]\n    networks: [data]\nnetworks:\n  web:\n    internal: false\n  data:\n    internal: false\n' },
    { name: 'no datastore on it', file: 'compose.yaml', text: 'services:\n  app:\n    image: acme/app:1\n    networks: [back]\nnetworks:\n  back:\n    internal: false\n' },
  ],
  invalid: [
    { name: 'a datastore network that says internal: false', file: 'compose.yaml', text: 'services:\n  api:\n    image: acme/api:1\n    networks: [front, data]\n  db:\n    image: pgvector/pgvector:0.8.0-pg17\n    networks: [data]\n  qdrant:\n    image: qdrant/qdrant:v1.12.4\n    networks:\n      data: {}\nnetworks:\n  front: {}\n  data:\n    driver: bridge\n    internal: false\n', at: ['16:15'], message: 'network data carries db (PostgreSQL), qdrant (Qdrant) but sets internal: false' },
  ],
});
