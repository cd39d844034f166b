import { rule } from '../../../../src/lint/rules/dockerfile/root-user.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'USER in the final stage', file: 'Dockerfile', text: 'FROM node:22 AS build\nRUN npm ci\nFROM node:22-slim\nUSER node\n' },
    { name: 'nonroot distroless', file: 'Dockerfile', text: 'FROM gcr.io/distroless/static-debian12:nonroot\n' },
    { name: 'inherits USER from an earlier stage', file: 'Dockerfile', text: 'FROM node:22 AS base\nUSER 10001\nFROM base\nCMD ["node"]\n' },
  ],
  invalid: [
    { name: 'no USER, reported at the final FROM', file: 'Dockerfile', text: 'FROM node:22 AS build\nUSER node\nFROM node:22-slim\nCMD ["node"]\n', at: ['3:1'] },
    { name: 'USER root', file: 'Dockerfile', text: 'FROM python:3.12\nUSER app\nUSER root\n', at: [3] },
    { name: 'MCP server image says so', file: 'mcp/Dockerfile', text: 'FROM python:3.12-slim\nENTRYPOINT ["mcp-server-fetch"]\n', at: [1], message: 'MCP server' },
  ],
});
