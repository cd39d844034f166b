import { rule } from '../../../../src/lint/rules/env/committed-secrets.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'an example file', file: '.env.example', text: 'JWT_SECRET=8f4c2a9e1b7d6f3a8f4c2a9e1b7d6f3a\n' },
    { name: 'references only', file: '.env', text: 'JWT_SECRET=${VAULT_JWT_SECRET}\n' },
    { name: 'empty and non-secret values', file: '.env', text: 'JWT_SECRET=\nPORT=8080\nDISABLE_PASSWORD_LOGIN=true\n' },
    { name: 'booleans and numbers under secret-like names', file: '.env', text: 'CORS_ALLOW_CREDENTIALS=true\nRATE_LIMIT_MAX_PER_KEY=10\nAUTH_TOKEN_MIN_RESPONSE_MS=250\n' },
    { name: 'KEY=#comment is empty', file: '.env', text: 'JWT_SECRET=#set me\nAPI_KEY= # later\n' },
    { name: 'a URL without a password', file: '.env', text: 'DATABASE_URL=postgresql://db:5432/app\n' },
  ],
  invalid: [
    { name: 'deploy .env with a secret', file: 'deploy/.env', text: 'PORT=8080\nJWT_SECRET=8f4c2a9e1b7d6f3a8f4c2a9e1b7d6f3a\n', at: ['2:12'] },
    { name: 'a password embedded in a literal URL', file: '.env', text: 'DATABASE_URL=postgresql://app:Zq8vR2mLk5w@db:5432/app\n', at: [1], message: 'password in its URL' },
    { name: 'production.env', file: 'production.env', text: 'export STRIPE_SECRET_KEY="rk_live_0123456789abcdefghijklmn"\n', at: [1] },
  ],
});
