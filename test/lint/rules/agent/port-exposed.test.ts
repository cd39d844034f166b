import { rule } from '../../../../src/lint/rules/agent/port-exposed.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'loopback', file: 'compose.yaml', text: 'services:\n  ollama:\n    image: ollama/ollama:0.5.7\n    ports:\n      - "127.0.0.1:11434:11434"\n' },
    { name: 'no ports', file: 'compose.yaml', text: 'services:\n  letta:\n    image: letta/letta:0.6.0\n' },
    { name: 'not an agent', file: 'compose.yaml', text: 'services:\n  web:\n    image: httpd:2.4\n    ports:\n      - "8080:80"\n' },
    { name: 'datastore port left to compose/datastore-port-published', file: 'compose.yaml', text: 'services:\n  memory:\n    image: ghcr.io/mem0ai/mem0:1.0\n    ports:\n      - "5432:5432"\n' },
    { name: 'an nginx image on 4000 is not LiteLLM, nor an mcp-named nginx an MCP server', file: 'compose.yaml', text: 'services:\n  web:\n    image: nginx:1.27\n    ports:\n      - "4000:4000"\n  mcp-proxy:\n    image: ghcr.io/acme-mcp/nginx:1.27\n    ports:\n      - "8080:80"\n' },
    { name: 'a port range that happens to contain 8283 is not Letta', file: 'compose.yaml', text: 'services:\n  tools:\n    build: .\n    ports:\n      - "8200-8300:8200-8300"\n' },
  ],
  invalid: [
    { name: 'Letta 8283', file: 'compose.yaml', text: 'services:\n  letta:\n    image: letta/letta:0.6.0\n    ports:\n      - "8283:8283"\n', at: ['5:9'], message: 'no authenticating proxy' },
    { name: 'Open WebUI on another host port', file: 'compose.yaml', text: 'services:\n  ui:\n    image: ghcr.io/open-webui/open-webui:v0.6.5\n    ports:\n      - "3000:8080"\n', at: [5] },
    { name: 'Ollama by its port, built locally', file: 'compose.yaml', text: 'services:\n  llm:\n    build: .\n    ports:\n      - "0.0.0.0:11434:11434"\n', at: [5] },
    { name: 'one finding per service, listing its ports', file: 'compose.yaml', text: 'services:\n  ragflow:\n    image: infiniflow/ragflow:v0.20.5\n    ports:\n      - ${SVR_WEB_HTTP_PORT}:80\n      - 9380:9380\n      - 9381:9381\n      - 9382:9382\n', at: ['5:9'], message: 'publishes ports ${SVR_WEB_HTTP_PORT}:80, 9380:9380, 9381:9381, 9382:9382 on all interfaces' },
    { name: 'MCP image, long syntax', file: 'compose.yaml', text: 'services:\n  tools:\n    image: ghcr.io/acme/mcp-server-fetch:1.2\n    ports:\n      - target: 8000\n        published: 8000\n', at: [5] },
  ],
});
