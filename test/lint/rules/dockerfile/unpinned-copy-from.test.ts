import { rule } from '../../../../src/lint/rules/dockerfile/unpinned-copy-from.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'stage', file: 'Dockerfile', text: 'FROM node:22 AS build\nFROM node:22-slim\nCOPY --from=build /app /app\n' },
    { name: 'pinned image', file: 'Dockerfile', text: 'FROM python:3.12\nCOPY --from=ghcr.io/astral-sh/uv:0.5.4 /uv /bin/\n' },
  ],
  invalid: [{ name: 'uv:latest (letta)', file: 'Dockerfile', text: 'FROM python:3.12\nCOPY --from=ghcr.io/astral-sh/uv:latest /uv /uvx /bin/\n', at: ['2:1'] }],
});
