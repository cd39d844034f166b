import { rule } from '../../../../src/lint/rules/dockerfile/root-user.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'USER in the final stage', file: 'Dockerfile', text: 'FROM node:22 AS build\nRUN npm ci\nFROM node:22-slim\nUSER node\n' },
    { name: 'nonroot distroless', file: 'Dockerfile', text: 'FROM gcr.io/distroless/static-debian12:nonroot\n' },
    { name: 'inherits USER from an earlier stage', file: 'Dockerfile', text: 'FROM node:22 AS base\nUSER 10001\nFROM base\nCMD ["node"]\n' },
    { name: 'inherits USER through two stages', file: 'Dockerfile', text: 'FROM node:22 AS base\nUSER node\nFROM base AS deps\nRUN true\nFROM deps\nCMD ["node"]\n' },
    { name: 'FROM name-${A:+x}${B:-y} is the stage the shell expands it to', file: 'Dockerfile', text: 'ARG A\nFROM python:3.12 AS runtime-y\nUSER 10001\nFROM python:3.12 AS runtime-x\nFROM runtime-${A:+x}${B:-y}\nCMD ["app"]\n' },
    { name: 'USER $ARG with a non-root default', file: 'Dockerfile', text: 'FROM debian:12\nARG APP_UID=10001\nUSER ${APP_UID}:${APP_UID}\n' },
    { name: 'USER $ENV inherited from the parent stage', file: 'Dockerfile', text: 'FROM debian:12 AS base\nENV APP_USER=app\nFROM base\nUSER $APP_USER\n' },
  ],
  invalid: [
    { name: 'no USER, reported at the final FROM', file: 'Dockerfile', text: 'FROM node:22 AS build\nUSER node\nFROM node:22-slim\nCMD ["node"]\n', at: ['3:1'] },
    { name: 'USER root', file: 'Dockerfile', text: 'FROM python:3.12\nUSER app\nUSER root\n', at: [3] },
    { name: 'USER $ARG whose default is 0', file: 'Dockerfile', text: 'FROM debian:12\nARG USER_ID=0\nUSER ${USER_ID}\n', at: [3], message: 'USER ${USER_ID} (0)' },
    { name: 'a global ARG default re-declared in the stage', file: 'Dockerfile', text: 'ARG RUN_AS=root\nFROM debian:12\nARG RUN_AS\nUSER $RUN_AS\n', at: [4] },
    { name: 'FROM a stage picked by ${VAR:-default} that runs as root', file: 'Dockerfile', text: 'FROM python:3.12 AS base-cpu\nUSER 0\nFROM python:3.12 AS base-gpu\nUSER 10001\nFROM base-${VARIANT:-cpu}\nCMD ["app"]\n', at: [2] },
    { name: 'MCP server image says so', file: 'mcp/Dockerfile', text: 'FROM python:3.12-slim\nENTRYPOINT ["mcp-server-fetch"]\n', at: [1], message: 'MCP server' },
  ],
});
