import { rule } from '../../../../src/lint/rules/dockerfile/tls-verification-disabled.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'curl -fsSL', file: 'Dockerfile', text: 'FROM alpine:3.20\nRUN curl -fsSL -o /tmp/x https://example.com/x\n' },
    { name: 'a header with -k inside quotes', file: 'Dockerfile', text: 'FROM alpine:3.20\nRUN curl -fsS -H "x-key: 1" https://example.com\n' },
  ],
  invalid: [
    { name: 'curl -k', file: 'Dockerfile', text: 'FROM alpine:3.20\nRUN apk add curl && \\\n    curl -sSLk https://example.com/x | tar x\n', at: ['3:5'] },
    { name: 'wget --no-check-certificate', file: 'Dockerfile', text: 'FROM alpine:3.20\nRUN wget --no-check-certificate https://example.com/x\n', at: [2] },
    { name: 'ENV NODE_TLS_REJECT_UNAUTHORIZED=0', file: 'Dockerfile', text: 'FROM node:22\nENV NODE_TLS_REJECT_UNAUTHORIZED=0\n', at: [2] },
    { name: 'pip --trusted-host', file: 'Dockerfile', text: 'FROM python:3.12\nRUN pip install --trusted-host pypi.org requests==2.32.3\n', at: [2] },
    { name: 'npm strict-ssl false', file: 'Dockerfile', text: 'FROM node:22\nRUN npm config set strict-ssl false\n', at: [2] },
  ],
});
