import { rule } from '../../../../src/lint/rules/compose/no-resource-limits.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'deploy limits', file: 'compose.yaml', text: 'services:\n  a:\n    deploy:\n      resources:\n        limits:\n          memory: 512m\n          pids: 200\n' },
    { name: 'mem_limit and pids_limit', file: 'compose.yaml', text: 'services:\n  a:\n    mem_limit: 512m\n    pids_limit: 200\n' },
  ],
  invalid: [
    { name: 'none', file: 'compose.yaml', text: 'services:\n  a:\n    image: alpine:3.20\n', at: ['2:3'], message: 'memory or pids' },
    { name: 'memory only', file: 'compose.yaml', text: 'services:\n  a:\n    mem_limit: 1g\n', at: [2], message: 'no pids limit' },
  ],
});
