import { rule } from '../../../../src/lint/rules/compose/device-passthrough.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [{ name: 'none', file: 'compose.yaml', text: 'services:\n  a:\n    volumes:\n      - ./x:/x:rprivate\n' }],
  invalid: [
    { name: 'device', file: 'compose.yaml', text: 'services:\n  a:\n    devices:\n      - /dev/sda:/dev/sda\n', at: ['4:9'] },
    { name: 'shared propagation', file: 'compose.yaml', text: 'services:\n  a:\n    volumes:\n      - /mnt:/mnt:rshared\n', at: [4] },
  ],
});
