import { rule } from '../../../../src/lint/rules/dockerfile/secret-in-env-arg.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'plain settings', file: 'Dockerfile', text: 'FROM node:22\nARG NODE_VERSION=22\nENV NODE_ENV=production PORT=8080\n' },
    { name: 'public keys and file paths', file: 'Dockerfile', text: 'FROM node:22\nARG NEXT_PUBLIC_POSTHOG_KEY\nENV JWT_SECRET_FILE=/run/secrets/jwt\n' },
  ],
  invalid: [
    { name: 'ARG token', file: 'Dockerfile', text: 'FROM node:22\nARG SENTRY_AUTH_TOKEN\n', at: ['2:5'] },
    { name: 'ENV password on a continuation line', file: 'Dockerfile', text: 'FROM postgres:17\nENV POSTGRES_USER=letta \\\n    POSTGRES_PASSWORD=letta\n', at: ['3:5'] },
    { name: 'secret-shaped value', file: 'Dockerfile', text: 'FROM node:22\nENV GH=ghp_abcdefghijklmnopqrstuvwxyz0123456789\n', at: [2], message: 'GitHub token' },
  ],
});
