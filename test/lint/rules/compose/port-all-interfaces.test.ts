import { rule } from '../../../../src/lint/rules/compose/port-all-interfaces.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'loopback', file: 'compose.yaml', text: 'services:\n  a:\n    ports:\n      - "127.0.0.1:8080:80"\n' },
    { name: 'IPv6 loopback', file: 'compose.yaml', text: 'services:\n  a:\n    ports:\n      - "[::1]:8080:80"\n' },
    { name: 'long syntax with host_ip', file: 'compose.yaml', text: 'services:\n  a:\n    ports:\n      - target: 80\n        published: 8080\n        host_ip: 127.0.0.1\n' },
  ],
  invalid: [
    { name: 'no host IP', file: 'compose.yaml', text: 'services:\n  a:\n    ports:\n      - "8080:80"\n      - 9000\n', at: ['4:9', '5:9'] },
    { name: '0.0.0.0', file: 'compose.yaml', text: 'services:\n  a:\n    ports:\n      - "0.0.0.0:8080:80"\n', at: [4] },
  ],
});
