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
    { name: 'Traefik labels and a direct port (ollama-webui-traefik)', file: 'compose.yaml', text: `${PROXY}  ui:\n    image: ghcr.io/open-webui/open-webui:main\n    ports:\n      - "40090:8080"\n    labels:\n      - "traefik.enable=true"\n`, at: [9], message: 'traefik' },
    { name: 'agent next to an nginx proxy', file: 'compose.yaml', text: 'services:\n  nginx:\n    image: nginx:1.27\n  letta:\n    image: letta/letta:0.6.0\n    ports:\n      - "8283:8283"\n', at: [7] },
  ],
});
