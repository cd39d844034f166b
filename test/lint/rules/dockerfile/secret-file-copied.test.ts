import { rule } from '../../../../src/lint/rules/dockerfile/secret-file-copied.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'example env and code', file: 'Dockerfile', text: 'FROM node:22\nCOPY .env.example package.json ./\nCOPY src/ ./src/\n' },
    { name: 'from another stage', file: 'Dockerfile', text: 'FROM node:22 AS b\nFROM node:22\nCOPY --from=b /app/server.key /tmp/\n' },
  ],
  invalid: [
    { name: '.env', file: 'Dockerfile', text: 'FROM node:22\nCOPY .env /app/.env\n', at: ['2:1'] },
    { name: 'keys', file: 'Dockerfile', text: 'FROM node:22\nCOPY certs/server.pem id_rsa /keys/\nADD credentials.json /app/\n', at: [2, 3], message: 'copies' },
  ],
});
