import { rule } from '../../../../src/lint/rules/agent/proxy-bypass.js';
import { ruleTable } from '../../support.js';

const PROXY = 'services:\n  traefik:\n    image: traefik:v3.2\n    ports:\n      - "443:443"\n';

ruleTable(rule, {
  valid: [
    {
      name: 'cross-file: nginx proxies to a service that publishes nothing',
      file: 'compose.yaml',
      text: 'services:\n  api:\n    image: acme/api:1\n    expose:\n      - "3080"\n',
      extra: { 'nginx.conf': 'http {\n  server {\n    location / { proxy_pass http://api:3080; }\n  }\n}\n' },
    },
    {
      name: 'cross-file: a Traefik dynamic file routes to a service that publishes only on loopback',
      file: 'compose.yaml',
      text: 'services:\n  letta:\n    image: letta/letta:0.6.0\n    ports:\n      - "127.0.0.1:8283:8283"\n',
      extra: { 'traefik/dynamic/letta.yml': 'http:\n  services:\n    letta:\n      loadBalancer:\n        servers:\n          - url: "http://letta:8283"\n' },
    },
    {
      name: 'cross-file: an nginx file elsewhere that nothing mounts is not this project\'s proxy',
      file: 'compose.yaml',
      text: 'services:\n  api:\n    image: acme/api:1\n    ports:\n      - "3080:3080"\n',
      extra: { 'docs/examples/site.conf': 'server {\n  location / { proxy_pass http://api:3080; }\n}\n' },
    },
    { name: 'the proxy itself never bypasses itself on 80/443 (a labelled nginx built locally)', file: 'compose.yaml', text: `${PROXY}  nginx:\n    build: ./nginx\n    ports:\n      - "80:80"\n      - "443:443"\n    labels:\n      - "traefik.enable=true"\n` },
    { name: 'proxied, not published', file: 'compose.yaml', text: `${PROXY}  ui:\n    image: ghcr.io/open-webui/open-webui:v0.6.5\n    labels:\n      - "traefik.enable=true"\n` },
    { name: 'no proxy at all (agent/port-exposed covers it)', file: 'compose.yaml', text: 'services:\n  ui:\n    image: ghcr.io/open-webui/open-webui:v0.6.5\n    ports:\n      - "8080:8080"\n' },
    { name: 'proxied and published on loopback', file: 'compose.yaml', text: `${PROXY}  ui:\n    image: ghcr.io/open-webui/open-webui:v0.6.5\n    ports:\n      - "127.0.0.1:8080:8080"\n` },
  ],
  invalid: [
    {
      name: 'cross-file: nginx.conf beside compose proxies to the service that also publishes its port',
      file: 'compose.yaml',
      text: 'services:\n  api:\n    image: acme/api:1\n    ports:\n      - "3080:3080"\n  web:\n    image: acme/web:1\n    ports:\n      - "127.0.0.1:3000:3000"\n',
      extra: { 'nginx/conf.d/default.conf': 'upstream backend { server api:3080; }\nserver {\n  location /api/ { proxy_pass http://backend; }\n  location / { proxy_pass http://web:3000; }\n}\n' },
      at: ['5:9'],
      message: 'nginx (nginx/conf.d/default.conf)',
    },
    {
      name: 'cross-file: any *.conf in nginx/conf.d, not only default.conf',
      file: 'compose.yaml',
      text: 'services:\n  agent:\n    image: acme/agent:1\n    ports:\n      - "8000:8000"\n',
      extra: { 'nginx/conf.d/agent.conf': 'server {\n  location /mcp { proxy_pass http://agent:8000; }\n}\n' },
      at: [5],
      message: 'nginx (nginx/conf.d/agent.conf)',
    },
    {
      name: 'cross-file: nginx.conf includes sites/*.conf, one of which proxies to the service',
      file: 'compose.yaml',
      text: 'services:\n  agent:\n    image: acme/agent:1\n    ports:\n      - "8000:8000"\n',
      extra: { 'nginx.conf': 'http {\n  include sites/*.conf;\n}\n', 'sites/agent.conf': 'server {\n  location / { proxy_pass http://agent:8000; }\n}\n' },
      at: [5],
      message: 'nginx (sites/agent.conf)',
    },
    {
      name: 'cross-file: an nginx file mounted into the nginx container from an unusual place',
      file: 'deploy/compose.yaml',
      text: 'services:\n  proxy:\n    image: nginx:1.27\n    volumes:\n      - ../ops/edge.conf:/etc/nginx/conf.d/default.conf:ro\n  agent:\n    image: acme/agent:1\n    ports:\n      - "8000:8000"\n',
      extra: { 'ops/edge.conf': 'server {\n  location / { proxy_pass http://agent:8000; }\n}\n' },
      at: ['deploy/compose.yaml:9'],
      message: 'nginx (ops/edge.conf)',
    },
    {
      name: 'cross-file: a Traefik dynamic file mounted into the Traefik container names the service',
      file: 'compose.yaml',
      text: 'services:\n  edge:\n    image: traefik:v3.2\n    volumes:\n      - ./ops/routes:/etc/traefik/dynamic:ro\n  letta:\n    image: acme/memory:1\n    ports:\n      - "8283:8283"\n',
      extra: { 'ops/routes/letta.toml': '[http.services.letta.loadBalancer]\n  [[http.services.letta.loadBalancer.servers]]\n    url = "http://letta:8283"\n' },
      at: [9],
      message: 'Traefik (ops/routes/letta.toml)',
    },
    {
      name: 'cross-file: a Traefik dynamic file in traefik/dynamic routes to the service',
      file: 'compose.yaml',
      text: 'services:\n  letta:\n    image: acme/memory:1\n    ports:\n      - "8283:8283"\n',
      extra: { 'traefik/dynamic/letta.yml': 'http:\n  services:\n    letta:\n      loadBalancer:\n        servers:\n          - url: "http://letta:8283"\n' },
      at: [5],
      message: 'Traefik (traefik/dynamic/letta.yml)',
    },
    {
      name: 'Traefik routing labels with Traefik itself in another compose file',
      file: 'mcp/compose.yaml',
      text: 'services:\n  mcp:\n    image: acme/tool:1\n    ports:\n      - "3000:3000"\n    labels:\n      - "traefik.enable=true"\n      - "traefik.http.routers.mcp.rule=PathPrefix(`/mcp`)"\n',
      at: ['mcp/compose.yaml:5'],
      message: 'Traefik (routing labels)',
    },
    { name: 'Traefik labels and a direct port (ollama-webui-traefik)', file: 'compose.yaml', text: `${PROXY}  ui:\n    image: ghcr.io/open-webui/open-webui:main\n    ports:\n      - "40090:8080"\n    labels:\n      - "traefik.enable=true"\n`, at: [9], message: 'traefik' },
    {
      name: 'cross-file: the Caddyfile mounted into the Caddy container proxies to the service that also publishes its port',
      file: 'compose.yaml',
      text: 'services:\n  caddy:\n    image: caddy:2.8.4\n    ports:\n      - "443:443"\n    volumes:\n      - ./conf/Caddyfile:/etc/caddy/Caddyfile:ro\n  api:\n    image: acme/api:1\n    ports:\n      - "9999:9999"\n',
      extra: { 'conf/Caddyfile': 'api.example.com {\n\treverse_proxy api:9999\n}\n' },
      at: [11],
      message: 'Caddy (conf/Caddyfile)',
    },
    { name: 'one finding per service, listing its ports (letta 8083 and 8283)', file: 'compose.yaml', text: 'services:\n  nginx:\n    image: nginx:1.27\n    ports:\n      - "80:80"\n  letta:\n    image: letta/letta:0.6.0\n    ports:\n      - "8083:8083"\n      - "8283:8283"\n', at: [9], message: 'publishes ports 8083:8083, 8283:8283 directly' },
    { name: 'agent next to an nginx proxy', file: 'compose.yaml', text: 'services:\n  nginx:\n    image: nginx:1.27\n  letta:\n    image: letta/letta:0.6.0\n    ports:\n      - "8283:8283"\n', at: [7] },
  ],
});
