import { rule } from '../../../../src/lint/rules/agent/admin-api-exposed.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'loopback', file: '.env', text: 'MANAGEMENT_API_HOST=127.0.0.1\nMANAGEMENT_API_PORT=9090\n' },
    { name: 'admin port not published', file: 'compose.yaml', text: 'services:\n  a:\n    environment:\n      ADMIN_API_PORT: "9090"\n' },
  ],
  invalid: [
    { name: 'VisionFlow 0.0.0.0', file: '.env.example', text: 'MANAGEMENT_API_PORT=9090\nMANAGEMENT_API_HOST=0.0.0.0\n', at: ['2:21'] },
    { name: 'published admin port', file: 'compose.yaml', text: 'services:\n  a:\n    environment:\n      ADMIN_API_PORT: "9090"\n    ports:\n      - "9090:9090"\n', at: [6] },
  ],
});
