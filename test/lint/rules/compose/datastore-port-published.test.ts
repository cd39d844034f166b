import { rule } from '../../../../src/lint/rules/compose/datastore-port-published.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'not published', file: 'compose.yaml', text: 'services:\n  db:\n    image: postgres:17\n' },
    { name: 'loopback', file: 'compose.yaml', text: 'services:\n  db:\n    image: postgres:17\n    ports:\n      - 127.0.0.1:8123:8123\n' },
  ],
  invalid: [
    { name: 'postgres on another host port', file: 'compose.yaml', text: 'services:\n  db:\n    image: postgres:17\n    ports:\n      - "8432:5432"\n', at: ['5:9'], message: 'PostgreSQL' },
    { name: 'interpolated host port (letta)', file: 'compose.yaml', text: 'services:\n  db:\n    ports:\n      - "${LETTA_PG_PORT:-5432}:5432"\n', at: [4] },
    { name: 'qdrant and redis', file: 'compose.yaml', text: 'services:\n  q:\n    ports:\n      - 6333:6333\n  r:\n    ports:\n      - 6379:6379\n', at: [4, 7] },
  ],
});
