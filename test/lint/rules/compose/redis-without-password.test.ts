import { rule } from '../../../../src/lint/rules/compose/redis-without-password.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'on the default network of its project', file: 'compose.yaml', text: 'services:\n  app:\n    image: acme/app:1\n  redis:\n    image: redis:7.4\n' },
    { name: 'a password on the shared network', file: 'compose.yaml', text: 'services:\n  redis:\n    image: redis:7.4\n    command: redis-server --requirepass ${REDIS_PASSWORD}\n    networks: [proxy]\nnetworks:\n  proxy:\n    external: true\n' },
    { name: 'published: agent/auth-disabled reports it', file: 'compose.yaml', text: 'services:\n  redis:\n    image: redis:7.4\n    network_mode: host\n    ports:\n      - "6379:6379"\n' },
  ],
  invalid: [
    { name: 'an external network shared with other projects', file: 'compose.yaml', text: 'services:\n  cache:\n    image: redis:7.4-alpine\n    networks:\n      - shared\nnetworks:\n  shared:\n    external: true\n', at: ['3:12'], message: 'network shared, shared with other projects' },
    { name: 'the reverse proxy\'s network, and the host network', file: 'compose.yaml', text: 'services:\n  traefik:\n    image: traefik:v3.2\n    networks: [edge]\n  queue:\n    image: valkey/valkey:8\n    networks:\n      edge: {}\n  cache:\n    image: redis:7.4\n    network_mode: host\n    environment:\n      ALLOW_EMPTY_PASSWORD: "yes"\n      REDIS_PASSWORD: ""\n', at: [6, 10] },
  ],
});
