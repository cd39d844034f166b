import { rule } from '../../../../src/lint/rules/compose/docker-socket.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [{ name: 'named volume', file: 'compose.yaml', text: 'services:\n  a:\n    volumes:\n      - data:/var/lib/data\n' }],
  invalid: [
    { name: 'short syntax, read-only does not help', file: 'compose.yaml', text: 'services:\n  t:\n    volumes:\n      - "/var/run/docker.sock:/var/run/docker.sock:ro"\n', at: ['4:9'] },
    { name: 'long syntax', file: 'compose.yaml', text: 'services:\n  t:\n    volumes:\n      - type: bind\n        source: /run/docker.sock\n        target: /var/run/docker.sock\n', at: [4] },
  ],
});
