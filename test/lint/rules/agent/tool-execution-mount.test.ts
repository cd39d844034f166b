import { rule } from '../../../../src/lint/rules/agent/tool-execution-mount.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'read-only project', file: 'compose.yaml', text: 'services:\n  agent:\n    image: letta/letta:0.6.0\n    volumes:\n      - .:/app:ro\n' },
    { name: 'a data dir', file: 'compose.yaml', text: 'services:\n  agent:\n    image: letta/letta:0.6.0\n    volumes:\n      - ./data:/data\n' },
    { name: 'not an agent', file: 'compose.yaml', text: 'services:\n  web:\n    image: httpd:2.4\n    volumes:\n      - .:/usr/local/apache2/htdocs\n' },
  ],
  invalid: [
    { name: 'mem0 mounts the project', file: 'compose.yaml', text: 'services:\n  mem0:\n    build: .\n    volumes:\n      - .:/app\n', at: ['5:9'], message: 'project directory' },
    { name: '~/.claude into an agent', file: 'compose.yaml', text: 'services:\n  claude-agent:\n    build: .\n    volumes:\n      - ~/.claude:/home/node/.claude\n', at: [5], message: 'credentials' },
    { name: 'host home', file: 'compose.yaml', text: 'services:\n  agent:\n    build: .\n    volumes:\n      - ${HOME}:/host-home\n', at: [5] },
  ],
});
