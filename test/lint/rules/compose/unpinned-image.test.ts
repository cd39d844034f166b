import { rule } from '../../../../src/lint/rules/compose/unpinned-image.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'version tag', file: 'compose.yaml', text: 'services:\n  a:\n    image: ghcr.io/open-webui/open-webui:v0.6.5\n' },
    { name: 'digest', file: 'compose.yaml', text: 'services:\n  a:\n    image: redis@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n' },
    { name: 'registry with port and tag', file: 'compose.yaml', text: 'services:\n  a:\n    image: registry.local:5000/team/app:1.4.2\n' },
    { name: 'build only', file: 'compose.yaml', text: 'services:\n  a:\n    build: .\n' },
  ],
  invalid: [
    { name: 'untagged', file: 'compose.yaml', text: 'services:\n  a:\n    image: ollama/ollama\n', at: ['3:12'], message: 'without a tag' },
    { name: ':main', file: 'compose.yaml', text: 'services:\n  a:\n    image: ghcr.io/open-webui/open-webui:main\n', at: [3] },
    { name: 'latest through interpolation', file: 'compose.yaml', text: 'services:\n  a:\n    image: ${IMAGE:-letta/letta:latest}\n', at: [3] },
  ],
});
