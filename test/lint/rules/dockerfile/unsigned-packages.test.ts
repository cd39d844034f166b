import { rule } from '../../../../src/lint/rules/dockerfile/unsigned-packages.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [{ name: 'signed install', file: 'Dockerfile', text: 'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n' }],
  invalid: [
    { name: '--allow-unauthenticated', file: 'Dockerfile', text: 'FROM debian:12\nRUN apt-get install -y --allow-unauthenticated curl\n', at: ['2:24'] },
    { name: '--nogpgcheck', file: 'Dockerfile', text: 'FROM fedora:41\nRUN dnf install -y --nogpgcheck foo\n', at: [2] },
    { name: 'apk --allow-untrusted', file: 'Dockerfile', text: 'FROM alpine:3.20\nRUN apk add --allow-untrusted /tmp/x.apk\n', at: [2] },
  ],
});
