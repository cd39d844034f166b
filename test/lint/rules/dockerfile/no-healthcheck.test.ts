import { rule } from '../../../../src/lint/rules/dockerfile/no-healthcheck.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'present', file: 'Dockerfile', text: 'FROM node:22\nHEALTHCHECK CMD curl -fsS http://localhost:3000/health || exit 1\n' },
    { name: 'inherited from the stage it builds on', file: 'Dockerfile', text: 'FROM node:22 AS base\nHEALTHCHECK CMD true\nFROM base\n' },
  ],
  invalid: [
    { name: 'absent, reported at the final FROM', file: 'Dockerfile', text: 'FROM node:22 AS build\nHEALTHCHECK CMD true\nFROM node:22-slim\n', at: ['3:1'] },
    { name: 'NONE', file: 'Dockerfile', text: 'FROM node:22\nHEALTHCHECK NONE\n', at: [2] },
  ],
});
