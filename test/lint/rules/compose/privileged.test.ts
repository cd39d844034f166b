import { rule } from '../../../../src/lint/rules/compose/privileged.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'absent', file: 'compose.yaml', text: 'services:\n  a:\n    image: alpine:3.20\n' },
    { name: 'false', file: 'compose.yaml', text: 'services:\n  a:\n    image: alpine:3.20\n    privileged: false\n' },
  ],
  invalid: [{ name: 'true', file: 'compose.yaml', text: 'services:\n  a:\n    image: alpine:3.20\n    privileged: true\n', at: ['4:17'] }],
});
