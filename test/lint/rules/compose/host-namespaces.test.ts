import { rule } from '../../../../src/lint/rules/compose/host-namespaces.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [{ name: 'shared with a service', file: 'compose.yaml', text: 'services:\n  a:\n    pid: "service:b"\n' }],
  invalid: [{ name: 'pid and ipc host', file: 'compose.yaml', text: 'services:\n  vllm:\n    pid: host\n    ipc: host\n', at: [3, 4] }],
});
