import { rule } from '../../../../src/lint/rules/compose/literal-secret-env.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'interpolated', file: 'compose.yaml', text: 'services:\n  a:\n    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set it}\n' },
    { name: 'not a secret', file: 'compose.yaml', text: 'services:\n  a:\n    environment:\n      POSTGRES_USER: app\n      PASSWORD_MIN_LENGTH: 12\n' },
    { name: 'a secret file path', file: 'compose.yaml', text: 'services:\n  a:\n    environment:\n      POSTGRES_PASSWORD_FILE: /run/secrets/pg\n' },
  ],
  invalid: [
    { name: 'map form', file: 'compose.yaml', text: 'services:\n  vectordb:\n    environment:\n      POSTGRES_PASSWORD: Zq8vR2mLk5w\n', at: ['4:26'] },
    { name: 'list form', file: 'compose.yaml', text: 'services:\n  a:\n    environment:\n      - JWT_SECRET=8f4c2a9e1b7d6f3a\n', at: [4] },
  ],
});
