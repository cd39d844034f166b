import { rule } from '../../../../src/lint/rules/compose/writable-root-fs.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [{ name: 'read_only', file: 'compose.yaml', text: 'services:\n  a:\n    read_only: true\n' }],
  invalid: [{ name: 'absent', file: 'compose.yaml', text: 'services:\n  a:\n    image: alpine:3.20\n  b:\n    read_only: false\n', at: ['2:3', '4:3'] }],
});
