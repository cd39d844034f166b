import { rule } from '../../../../src/lint/rules/compose/secret-inline-default.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'required variable', file: 'compose.yaml', text: 'services:\n  a:\n    environment:\n      NEXTAUTH_SECRET: ${NEXTAUTH_SECRET:?set NEXTAUTH_SECRET}\n' },
    { name: 'empty default', file: 'compose.yaml', text: 'services:\n  a:\n    environment:\n      SMTP_PASSWORD: ${SMTP_PASSWORD:-}\n' },
    { name: 'non-secret default', file: 'compose.yaml', text: 'services:\n  a:\n    environment:\n      REDIS_HOST: ${REDIS_HOST:-redis}\n' },
    { name: 'numbers, booleans and durations under secret-like names', file: 'compose.yaml', text: 'services:\n  a:\n    environment:\n      PASSWORD_RESET_MIN_RESPONSE_MS: ${PASSWORD_RESET_MIN_RESPONSE_MS:-250}\n      CORS_ALLOW_CREDENTIALS: ${CORS_ALLOW_CREDENTIALS:-true}\n      API_KEY_TTL: ${API_KEY_TTL:-15m}\n' },
  ],
  invalid: [
    { name: 'langfuse-style default', file: 'compose.yaml', text: 'services:\n  w:\n    environment:\n      SALT: ${SALT:-Xk29vLq81mZp}\n', at: ['4:21'] },
    { name: 'letta password default in list form', file: 'compose.yaml', text: 'services:\n  db:\n    environment:\n      - POSTGRES_PASSWORD=${LETTA_PG_PASSWORD:-Zq8vR2mL}\n', at: [4] },
    { name: 'URL with an embedded password', file: 'compose.yaml', text: 'services:\n  w:\n    environment:\n      DATABASE_URL: ${DATABASE_URL:-postgresql://app:hunter2@db:5432/app}\n', at: [4], message: 'embedded password' },
  ],
});
