import { rule } from '../../../../src/lint/rules/agent/weak-password-policy.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: '12 characters, argon2id', file: '.env', text: 'PASSWORD_MIN_LENGTH=12\nPASSWORD_HASH_ALGORITHM=argon2id\n' },
    { name: 'scrypt', file: '.env', text: 'PASSWORD_HASHING=scrypt\n' },
  ],
  invalid: [
    { name: 'minimum 6', file: '.env', text: 'PASSWORD_MIN_LENGTH=6\n', at: ['1:21'] },
    { name: 'bcrypt', file: '.env', text: 'PASSWORD_HASH_ALGORITHM=bcrypt\n', at: [1], message: 'argon2id' },
    { name: 'sha256 in JSON settings', file: 'config.json', text: '{\n  "auth": { "password_hashing": "sha256", "auth_enabled": true }\n}\n', at: [2] },
  ],
});
