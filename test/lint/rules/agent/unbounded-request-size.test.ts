import { rule } from '../../../../src/lint/rules/agent/unbounded-request-size.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'bounded', file: '.env', text: 'MAX_REQUEST_SIZE=10mb\nMAX_MESSAGE_SIZE=1048576\n' },
    { name: 'unrelated .env', file: '.env', text: 'NODE_ENV=production\n' },
  ],
  invalid: [
    { name: 'zero', file: '.env', text: 'MAX_REQUEST_SIZE=0\n', at: ['1:18'] },
    { name: 'huge', file: '.env', text: 'MAX_MESSAGE_SIZE=10gb\n', at: [1] },
    { name: 'huge in MB', file: 'compose.yaml', text: 'services:\n  a:\n    environment:\n      MAX_UPLOAD_SIZE_MB: 4096\n', at: [4] },
    { name: 'agent settings without a size limit', file: '.env', text: 'AUTH_ENABLED=true\nRATE_LIMIT_ENABLED=true\n', at: [1], message: 'unbounded' },
  ],
});
