import { rule } from '../../../../src/lint/rules/compose/no-healthcheck.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [{ name: 'present', file: 'compose.yaml', text: 'services:\n  a:\n    healthcheck:\n      test: ["CMD", "true"]\n' }],
  invalid: [
    { name: 'absent', file: 'compose.yaml', text: 'services:\n  a:\n    image: alpine:3.20\n', at: ['2:3'] },
    { name: 'disabled', file: 'compose.yaml', text: 'services:\n  a:\n    healthcheck:\n      disable: true\n', at: [4] },
  ],
});
