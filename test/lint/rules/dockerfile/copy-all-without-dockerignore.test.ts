import { rule } from '../../../../src/lint/rules/dockerfile/copy-all-without-dockerignore.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: '.dockerignore excludes .env and .git', file: 'Dockerfile', text: 'FROM node:22\nCOPY . .\n', extra: { '.dockerignore': '.git\n.env*\nnode_modules\n' } },
    { name: 'Dockerfile-specific ignore file', file: 'app.Dockerfile', text: 'FROM node:22\nCOPY . /app\n', extra: { 'app.Dockerfile.dockerignore': '**/.env\n.git/\n' } },
    { name: 'specific paths', file: 'Dockerfile', text: 'FROM node:22\nCOPY package.json src/ ./\n' },
  ],
  invalid: [
    { name: 'no .dockerignore', file: 'Dockerfile', text: 'FROM node:22\nCOPY . .\n', at: ['2:1'], message: 'no .dockerignore' },
    { name: '.dockerignore without .env', file: 'Dockerfile', text: 'FROM node:22\nCOPY . .\n', extra: { '.dockerignore': '.git\nnode_modules\n' }, at: [2], message: '.env' },
  ],
});
