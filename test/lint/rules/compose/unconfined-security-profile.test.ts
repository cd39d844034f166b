import { rule } from '../../../../src/lint/rules/compose/unconfined-security-profile.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [{ name: 'no-new-privileges only', file: 'compose.yaml', text: 'services:\n  a:\n    security_opt:\n      - no-new-privileges:true\n' }],
  invalid: [{ name: 'seccomp and apparmor', file: 'compose.yaml', text: 'services:\n  a:\n    security_opt:\n      - seccomp:unconfined\n      - apparmor=unconfined\n', at: ['4:9', '5:9'] }],
});
