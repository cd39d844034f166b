import { rule } from '../../../../src/lint/rules/agent/long-lived-tokens.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: '15 minutes', file: '.env', text: 'JWT_EXPIRES_IN=15m\n' },
    { name: '1 hour under the default profile', file: '.env', text: 'ACCESS_TOKEN_TTL=3600\n' },
    { name: '24-hour sessions', file: '.env', text: 'SESSION_TIMEOUT_HOURS=24\n' },
    { name: 'refresh tokens may live long', file: '.env', text: 'JWT_REFRESH_EXPIRES_IN=30d\n' },
  ],
  invalid: [
    { name: '7 days', file: '.env', text: 'JWT_EXPIRES_IN=7d\n', at: ['1:16'] },
    { name: 'a day in seconds', file: '.env', text: 'ACCESS_TOKEN_LIFETIME=86400\n', at: [1] },
    { name: '1 hour under strict', file: '.env', text: 'ACCESS_TOKEN_TTL=1h\n', profile: 'strict', at: [1], message: '15 minutes' },
    { name: 'sessions over 24 hours', file: '.env', text: 'SESSION_TIMEOUT_HOURS=168\n', at: [1] },
  ],
});
