import { rule } from '../../../../src/lint/rules/agent/insecure-cookies.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'secure', file: '.env', text: 'SESSION_COOKIE_SECURE=true\nNEXTAUTH_URL=https://agent.example.com\n' },
    { name: 'localhost over http', file: 'compose.yaml', text: 'services:\n  w:\n    environment:\n      NEXTAUTH_URL: ${NEXTAUTH_URL:-http://localhost:3000}\n' },
  ],
  invalid: [
    { name: 'Secure flag off', file: '.env', text: 'SESSION_COOKIE_SECURE=false\n', at: ['1:23'] },
    { name: 'NEXTAUTH_URL over http to a public host', file: '.env', text: 'NEXTAUTH_URL=http://langfuse.example.com\n', at: [1], message: 'langfuse.example.com' },
  ],
});
