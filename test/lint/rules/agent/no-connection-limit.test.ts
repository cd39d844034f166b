import { rule } from '../../../../src/lint/rules/agent/no-connection-limit.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'limited', file: '.env', text: 'WS_AUTH_ENABLED=true\nWS_MAX_CONNECTIONS=200\nRATE_LIMIT_ENABLED=true\n' },
    { name: 'no WebSocket settings', file: '.env', text: 'AUTH_ENABLED=true\nRATE_LIMIT_ENABLED=true\n' },
  ],
  invalid: [
    { name: 'zero', file: '.env', text: 'WS_MAX_CONNECTIONS=0\n', at: ['1:20'] },
    { name: 'WebSocket agent server without a cap', file: '.env', text: 'WS_AUTH_ENABLED=true\nRATE_LIMIT_ENABLED=true\nWS_PORT=9000\n', at: [1], message: 'WS_MAX_CONNECTIONS' },
  ],
});
