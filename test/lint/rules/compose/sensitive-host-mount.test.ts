import { rule } from '../../../../src/lint/rules/compose/sensitive-host-mount.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'localtime read-only', file: 'compose.yaml', text: 'services:\n  a:\n    volumes:\n      - /etc/localtime:/etc/localtime:ro\n' },
    { name: 'project data', file: 'compose.yaml', text: 'services:\n  a:\n    volumes:\n      - ./data:/data\n' },
  ],
  invalid: [
    { name: 'root filesystem', file: 'compose.yaml', text: 'services:\n  a:\n    volumes:\n      - /:/host\n', at: ['4:9'] },
    { name: '~/.ssh and /etc', file: 'compose.yaml', text: 'services:\n  a:\n    volumes:\n      - ~/.ssh:/root/.ssh\n      - /etc:/host-etc:ro\n', at: [4, 5] },
    { name: 'long syntax /proc', file: 'compose.yaml', text: 'services:\n  a:\n    volumes:\n      - type: bind\n        source: /proc\n        target: /host/proc\n', at: [4] },
  ],
});
