import { rule } from '../../../../src/lint/rules/compose/literal-secret-env.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'interpolated', file: 'compose.yaml', text: 'services:\n  a:\n    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set it}\n' },
    { name: 'not a secret', file: 'compose.yaml', text: 'services:\n  a:\n    environment:\n      POSTGRES_USER: app\n      PASSWORD_MIN_LENGTH: 12\n' },
    { name: 'a secret file path', file: 'compose.yaml', text: 'services:\n  a:\n    environment:\n      POSTGRES_PASSWORD_FILE: /run/secrets/pg\n' },
    { name: 'booleans and numbers are settings', file: 'compose.yaml', text: 'services:\n  a:\n    environment:\n      CORS_ALLOW_CREDENTIALS: "true"\n      RATE_LIMIT_MAX_PER_KEY: 10\n' },
    { name: 'a URL whose password is a variable', file: 'compose.yaml', text: 'services:\n  a:\n    environment:\n      DATABASE_URL: postgresql://app:${PG_PASSWORD}@db:5432/app\n' },
  ],
  invalid: [
    { name: 'map form', file: 'compose.yaml', text: 'services:\n  vectordb:\n    environment:\n      POSTGRES_PASSWORD: Zq8vR2mLk5w\n', at: ['4:26'] },
    { name: 'a literal password in a URL, also when the host is a variable', file: 'compose.yaml', text: 'services:\n  a:\n    environment:\n      DATABASE_URL: postgresql://app:Zq8vR2mLk5w@db:5432/app\n      - x\n'.replace('      - x\n', '') + '      CACHE_URL: redis://:Zq8vR2mLk5w@${REDIS_HOST}:6379\n', at: [4, 5], message: 'literal password in the URL' },
    { name: 'list form', file: 'compose.yaml', text: 'services:\n  a:\n    environment:\n      - JWT_SECRET=8f4c2a9e1b7d6f3a\n', at: [4] },
  ],
});
