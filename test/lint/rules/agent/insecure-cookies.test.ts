import { rule } from '../../../../src/lint/rules/agent/insecure-cookies.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'secure', file: '.env', text: 'SESSION_COOKIE_SECURE=true\nNEXTAUTH_URL=https://agent.example.com\n' },
    { name: 'HttpOnly on, SameSite=None with Secure, a CSRF cookie readable by scripts', file: '.env', text: 'SESSION_COOKIE_HTTPONLY=true\nSESSION_COOKIE_SAMESITE=None\nSESSION_COOKIE_SECURE=true\nCSRF_COOKIE_HTTPONLY=false\n' },
    { name: 'localhost over http', file: 'compose.yaml', text: 'services:\n  w:\n    environment:\n      NEXTAUTH_URL: ${NEXTAUTH_URL:-http://localhost:3000}\n' },
  ],
  invalid: [
    { name: 'Secure flag off', file: '.env', text: 'SESSION_COOKIE_SECURE=false\n', at: ['1:23'] },
    { name: 'HttpOnly off, nested', file: 'config.yaml', text: 'session:\n  cookie:\n    http_only: false\n    secure: true\n', at: [3], message: 'lets page scripts read the session cookie' },
    { name: 'SameSite=None without Secure', file: 'compose.yaml', text: 'services:\n  ui:\n    environment:\n      SESSION_COOKIE_SAMESITE: none\n', at: [4], message: 'without the Secure flag' },
    { name: 'NEXTAUTH_URL over http to a public host', file: '.env', text: 'NEXTAUTH_URL=http://langfuse.example.com\n', at: [1], message: 'langfuse.example.com' },
  ],
});
