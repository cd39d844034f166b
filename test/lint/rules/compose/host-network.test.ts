import { rule } from '../../../../src/lint/rules/compose/host-network.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [{ name: 'bridge', file: 'compose.yaml', text: 'services:\n  a:\n    network_mode: bridge\n' }],
  invalid: [{ name: 'host', file: 'compose.yaml', text: 'services:\n  a:\n    network_mode: host\n', at: ['3:19'] }],
});
