import { rule } from '../../../../src/lint/rules/dockerfile/curl-pipe-shell.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'download, verify, run', file: 'Dockerfile', text: 'FROM debian:12\nRUN curl -fsSLo i.sh https://example.com/i.sh && sha256sum -c i.sha && sh i.sh\n' },
    { name: 'pipe into tar', file: 'Dockerfile', text: 'FROM debian:12\nRUN curl -fsSL https://example.com/x.tgz | tar xz\n' },
  ],
  invalid: [
    { name: 'curl | sh', file: 'Dockerfile', text: 'FROM debian:12\nRUN curl -fsSL https://deb.nodesource.com/setup_20.x | bash -\n', at: ['2:5'] },
    { name: 'wget -O- | sudo sh on a continuation line', file: 'Dockerfile', text: 'FROM debian:12\nRUN apt-get update && \\\n    wget -qO- https://get.example.com | sudo sh\n', at: ['3:5'] },
    { name: 'curl | python3', file: 'Dockerfile', text: 'FROM python:3.12\nRUN curl -sSL https://install.python-poetry.org | python3 -\n', at: [2] },
  ],
});
