import { rule } from '../../../../src/lint/rules/agent/csrf-disabled.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'on', file: '.env', text: 'CSRF_ENABLED=true\nWTF_CSRF_ENABLED=True\nDISABLE_CSRF=false\n' },
    { name: 'a CSRF cookie setting is not the switch', file: '.env', text: 'CSRF_COOKIE_HTTPONLY=false\nCSRF_TRUSTED_ORIGINS=https://a.example.com\n' },
  ],
  invalid: [
    { name: 'CSRF_ENABLED=false', file: '.env', text: 'CSRF_ENABLED=false\n', at: ['1:14'], message: 'CSRF_ENABLED=false turns CSRF protection off' },
    { name: 'Flask-WTF and a disable switch in compose', file: 'compose.yaml', text: 'services:\n  ui:\n    environment:\n      WTF_CSRF_ENABLED: "False"\n      DISABLE_CSRF_PROTECTION: "true"\n', at: [4, 5] },
    { name: 'nested csrf.enabled: false', file: 'settings.yaml', text: 'security:\n  csrf:\n    enabled: false\nauth:\n  enabled: true\n', at: [3] },
  ],
});
