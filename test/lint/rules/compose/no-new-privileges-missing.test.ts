import { rule } from '../../../../src/lint/rules/compose/no-new-privileges-missing.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'set', file: 'compose.yaml', text: 'services:\n  a:\n    security_opt:\n      - no-new-privileges:true\n' },
    { name: 'set, = form', file: 'compose.yaml', text: 'services:\n  a:\n    security_opt: ["no-new-privileges=true"]\n' },
  ],
  invalid: [{ name: 'absent, reported at the service key', file: 'compose.yaml', text: 'services:\n  web:\n    image: nginx:1.27\n', at: ['2:3'] }],
});
