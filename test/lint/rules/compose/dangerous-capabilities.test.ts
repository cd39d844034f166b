import { rule } from '../../../../src/lint/rules/compose/dangerous-capabilities.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [{ name: 'narrow capability', file: 'compose.yaml', text: 'services:\n  a:\n    cap_drop: [ALL]\n    cap_add:\n      - NET_BIND_SERVICE\n' }],
  invalid: [
    { name: 'SYS_ADMIN (anything-llm)', file: 'compose.yaml', text: 'services:\n  a:\n    cap_add:\n      - SYS_ADMIN\n', at: ['4:9'] },
    { name: 'ALL and CAP_NET_ADMIN', file: 'compose.yaml', text: 'services:\n  a:\n    cap_add: [ALL, CAP_NET_ADMIN]\n', at: [3, 3] },
  ],
});
