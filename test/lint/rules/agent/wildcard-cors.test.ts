import { rule } from '../../../../src/lint/rules/agent/wildcard-cors.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'a Traefik headers middleware listing its origins', file: 'dynamic/cors.yml', text: 'http:\n  middlewares:\n    cors:\n      headers:\n        accessControlAllowOriginList: ["https://agent.example.com"]\n' },
    { name: 'explicit origins', file: '.env', text: 'CORS_ALLOWED_ORIGINS=https://agent.example.com,https://admin.example.com\n' },
    { name: 'CORS_ENABLED=false on loopback', file: '.env', text: 'CORS_ENABLED=false\nHOST=127.0.0.1\n' },
    { name: 'unrelated star', file: '.env', text: 'CRON_SCHEDULE=*\n' },
  ],
  invalid: [
    { name: 'a Traefik headers middleware with accessControlAllowOriginList "*" (dynamic file)', file: 'dynamic/cors.yml', text: 'http:\n  middlewares:\n    cors:\n      headers:\n        accessControlAllowMethods: [GET, POST]\n        accessControlAllowOriginList: ["*"]\n', at: [6], message: 'middleware cors allows every origin' },
    { name: 'the same in compose labels, and an any-origin regex', file: 'compose.yaml', text: 'services:\n  agent:\n    image: acme/agent:1\n    labels:\n      - traefik.http.middlewares.cors.headers.accesscontrolalloworiginlist=*\n      - traefik.http.middlewares.cors2.headers.accessControlAllowOriginListRegex=.*\n', at: [5, 6] },
    { name: 'nested cors.allow_origins: ["*"]', file: 'config.yaml', text: 'server:\n  cors:\n    allow_origins: ["*"]\n  auth:\n    enabled: true\n', at: [3] },
    { name: 'a command-line flag', file: 'compose.yaml', text: 'services:\n  a:\n    command: ["serve", "--cors-allowed-origins", "*"]\n', at: [3] },
    { name: 'CORS_ALLOWED_ORIGINS=*', file: '.env', text: 'CORS_ALLOWED_ORIGINS=*\n', at: ['1:22'] },
    { name: 'OLLAMA_ORIGINS in compose', file: 'compose.yaml', text: 'services:\n  ollama:\n    environment:\n      - OLLAMA_ORIGINS=*\n', at: [4] },
    { name: 'star among others', file: '.env', text: 'MCP_CORS_ORIGINS=https://a.example,*\n', at: [1] },
    { name: 'CORS_ENABLED=false with a public bind', file: '.env', text: 'HOST=0.0.0.0\nCORS_ENABLED=false\n', at: [2] },
    { name: 'YAML settings list', file: 'config.yaml', text: 'server:\n  cors_allowed_origins:\n    - "*"\n  rate_limit_enabled: true\n', at: [3] },
  ],
});
