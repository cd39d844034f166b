import { rule } from '../../../../src/lint/rules/agent/no-rate-limit.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'limits on', file: '.env', text: 'RATE_LIMIT_ENABLED=true\nAUTO_BLOCK_ENABLED=true\nMAX_FAILED_ATTEMPTS=5\n' },
    { name: 'a .env that is not an agent server', file: '.env', text: 'POSTGRES_DB=app\n' },
    { name: 'a flat knob inside a TOML section keeps its name', file: 'agent.toml', text: '[auth]\nauth_enabled = true\nmax_failed_attempts = 5\n[limits]\nrate_limit_enabled = true\n' },
    { name: '5 attempts a minute', file: '.env', text: 'AUTH_RATE_LIMIT_PER_MINUTE=5\n' },
    { name: 'a real request budget; worker recycling and windows are not budgets', file: '.env', text: 'MAX_REQUEST_PER_HOUR=600\nMAX_REQUESTS=0\nRATE_LIMIT_WINDOW=0\n' },
  ],
  invalid: [
    { name: 'nested TOML [rate_limit] enabled = false', file: 'agent.toml', text: '[rate_limit]\nenabled = false\n[auth]\nmax_failed_attempts = 5\n', at: [2] },
    { name: 'rate limiting off', file: '.env', text: 'RATE_LIMIT_ENABLED=false\nMAX_FAILED_ATTEMPTS=5\n', at: ['1:20'] },
    { name: 'auto block off', file: 'compose.yaml', text: 'services:\n  a:\n    environment:\n      AUTO_BLOCK_ENABLED: "false"\n', at: [4] },
    { name: 'too many attempts', file: '.env', text: 'MAX_FAILED_ATTEMPTS=50\n', at: [1] },
    { name: 'too many per minute', file: '.env', text: 'AUTH_RATE_LIMIT_PER_MINUTE=60\n', at: [1] },
    { name: 'a budget of 0 or less is unlimited', file: 'compose.yaml', text: 'services:\n  a:\n    environment:\n      MAX_REQUEST_PER_HOUR: 0\n      RATE_LIMIT_MAX_REQUESTS: "-1"\n', at: [4, 5], message: 'sets no request limit' },
    { name: 'agent settings without MAX_FAILED_ATTEMPTS', file: '.env', text: 'WS_AUTH_ENABLED=true\nRATE_LIMIT_ENABLED=true\nMAX_REQUEST_SIZE=1mb\n', at: [1], message: 'MAX_FAILED_ATTEMPTS' },
  ],
});
