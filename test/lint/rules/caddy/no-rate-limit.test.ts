import { rule } from '../../../../src/lint/rules/caddy/no-rate-limit.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'a rate limit on the site', file: 'Caddyfile', text: 'agent.example.com {\n\trate_limit {\n\t\tzone agent {\n\t\t\tkey {remote_host}\n\t\t\tevents 60\n\t\t\twindow 1m\n\t\t}\n\t}\n\treverse_proxy letta:8283\n}\n' },
    { name: 'not an agent', file: 'Caddyfile', text: 'www.example.com {\n\treverse_proxy web:3000\n}\n' },
    { name: 'a rate limit in the handle around it', file: 'Caddyfile', text: 'example.com {\n\thandle /api/* {\n\t\trate_limit {\n\t\t\tzone api {\n\t\t\t\tkey {remote_host}\n\t\t\t\tevents 10\n\t\t\t\twindow 1s\n\t\t\t}\n\t\t}\n\t\treverse_proxy app:8000\n\t}\n}\n' },
  ],
  invalid: [
    { name: 'an agent upstream (the hardened example without its suppression)', file: 'Caddyfile', text: 'agent.example.com {\n\tencode zstd gzip\n\treverse_proxy agent:8283\n}\n', at: ['3:2'], message: 'reverse_proxy to agent:8283 has no rate_limit' },
    { name: 'an agent route, and a limit that only covers another route', file: 'Caddyfile', text: 'example.com {\n\trate_limit /login {\n\t\tzone l {\n\t\t\tkey {remote_host}\n\t\t\tevents 5\n\t\t\twindow 1m\n\t\t}\n\t}\n\thandle /v1/* {\n\t\treverse_proxy app:8000\n\t}\n}\n', at: [10], message: '/v1/* (v1 route)' },
    { name: 'cross-file: a compose service beside it runs an agent', file: 'Caddyfile', text: 'chat.example.com {\n\treverse_proxy brain:8080\n}\n', extra: { 'compose.yaml': 'services:\n  brain:\n    image: ghcr.io/open-webui/open-webui:v0.6.5\n' }, at: [2] },
  ],
});
