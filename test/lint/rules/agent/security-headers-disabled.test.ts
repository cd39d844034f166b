import { rule } from '../../../../src/lint/rules/agent/security-headers-disabled.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'on', file: '.env', text: 'SECURITY_HEADERS_ENABLED=true\n' },
    { name: 'unset', file: '.env', text: 'PORT=8080\n' },
  ],
  invalid: [
    { name: 'off', file: '.env', text: 'SECURITY_HEADERS_ENABLED=false\n', at: ['1:26'] },
    { name: 'helmet off in YAML settings', file: 'settings.yaml', text: 'server:\n  helmet: false\n  rate_limit_enabled: true\n', at: [2] },
  ],
});
