import { rule } from '../../../../src/lint/rules/agent/port-exposed.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'loopback', file: 'compose.yaml', text: 'services:\n  ollama:\n    image: ollama/ollama:0.5.7\n    ports:\n      - "127.0.0.1:11434:11434"\n' },
    { name: 'no ports', file: 'compose.yaml', text: 'services:\n  letta:\n    image: letta/letta:0.6.0\n' },
    { name: 'not an agent', file: 'compose.yaml', text: 'services:\n  web:\n    image: httpd:2.4\n    ports:\n      - "8080:80"\n' },
    { name: 'datastore port left to compose/datastore-port-published', file: 'compose.yaml', text: 'services:\n  chroma:\n    image: ghcr.io/mem0ai/mem0:1.0\n    ports:\n      - "5432:5432"\n' },
  ],
  invalid: [
    { name: 'Letta 8283', file: 'compose.yaml', text: 'services:\n  letta:\n    image: letta/letta:0.6.0\n    ports:\n      - "8283:8283"\n', at: ['5:9'], message: 'no authenticating proxy' },
    { name: 'Open WebUI on another host port', file: 'compose.yaml', text: 'services:\n  ui:\n    image: ghcr.io/open-webui/open-webui:v0.6.5\n    ports:\n      - "3000:8080"\n', at: [5] },
    { name: 'Ollama by its port, built locally', file: 'compose.yaml', text: 'services:\n  llm:\n    build: .\n    ports:\n      - "0.0.0.0:11434:11434"\n', at: [5] },
    { name: 'MCP image, long syntax', file: 'compose.yaml', text: 'services:\n  tools:\n    image: ghcr.io/acme/mcp-server-fetch:1.2\n    ports:\n      - target: 8000\n        published: 8000\n', at: [5] },
  ],
});
