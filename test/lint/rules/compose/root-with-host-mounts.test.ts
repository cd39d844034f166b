import { rule } from '../../../../src/lint/rules/compose/root-with-host-mounts.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'unprivileged user', file: 'compose.yaml', text: 'services:\n  a:\n    user: "1000:1000"\n    volumes:\n      - ./data:/data\n' },
    { name: 'root with named volumes only', file: 'compose.yaml', text: 'services:\n  a:\n    user: root\n    volumes:\n      - data:/data\n' },
  ],
  invalid: [{ name: 'user 0 with a bind mount', file: 'compose.yaml', text: 'services:\n  a:\n    user: "0"\n    volumes:\n      - ./data:/data\n', at: ['3:11'] }],
});
