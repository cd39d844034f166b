import { rule } from '../../../../src/lint/rules/dockerfile/no-healthcheck.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'present', file: 'Dockerfile', text: 'FROM node:22\nHEALTHCHECK CMD curl -fsS http://localhost:3000/health || exit 1\n' },
    { name: 'inherited from the stage it builds on', file: 'Dockerfile', text: 'FROM node:22 AS base\nHEALTHCHECK CMD true\nFROM base\n' },
    { name: 'inherited through FROM base-${TARGET:-prod} and another stage', file: 'Dockerfile', text: 'FROM node:22 AS base-prod\nHEALTHCHECK CMD true\nFROM base-${TARGET:-prod} AS app\nFROM app\n' },
    {
      name: 'cross-file: the compose service building it has a healthcheck',
      file: 'app/Dockerfile',
      text: 'FROM node:22\n',
      extra: { 'compose.yaml': 'services:\n  app:\n    build:\n      context: ./app\n    healthcheck:\n      test: ["CMD", "true"]\n' },
    },
    {
      name: 'cross-file: short build syntax and a named Dockerfile beside compose',
      file: 'api.Dockerfile',
      text: 'FROM node:22\n',
      extra: { 'docker-compose.yml': 'services:\n  api:\n    build:\n      context: .\n      dockerfile: api.Dockerfile\n    healthcheck:\n      test: curl -f http://localhost/\n' },
    },
  ],
  invalid: [
    { name: 'absent, reported at the final FROM', file: 'Dockerfile', text: 'FROM node:22 AS build\nHEALTHCHECK CMD true\nFROM node:22-slim\n', at: ['3:1'] },
    { name: 'NONE', file: 'Dockerfile', text: 'FROM node:22\nHEALTHCHECK NONE\n', at: [2] },
    {
      name: 'cross-file: the compose service builds another Dockerfile, or disables its healthcheck',
      file: 'app/Dockerfile',
      text: 'FROM node:22\n',
      extra: { 'compose.yaml': 'services:\n  web:\n    build: ./web\n    healthcheck:\n      test: ["CMD", "true"]\n  app:\n    build: ./app\n    healthcheck:\n      disable: true\n' },
      at: [1],
    },
  ],
});
