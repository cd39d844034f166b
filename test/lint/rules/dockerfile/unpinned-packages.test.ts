import { rule } from '../../../../src/lint/rules/dockerfile/unpinned-packages.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'pinned', file: 'Dockerfile', text: 'FROM debian:12\nRUN apt-get install -y curl=7.88.1-10 && pip install requests==2.32.3 && npm install -g pnpm@9.12.0\n' },
    { name: 'requirements and lock files', file: 'Dockerfile', text: 'FROM python:3.12\nRUN pip install -r requirements.txt && npm ci\n' },
  ],
  invalid: [
    { name: 'apt, pip, npm unpinned', file: 'Dockerfile', text: 'FROM debian:12\nRUN apt-get install -y curl git && \\\n    pip install requests && npm install -g pnpm\n', at: ['2:5', '3:5', '3:29'] },
    { name: 'apk', file: 'Dockerfile', text: 'FROM alpine:3.20\nRUN apk add --no-cache bash\n', at: [2], message: 'bash' },
  ],
});
