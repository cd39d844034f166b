import { rule } from '../../../../src/lint/rules/compose/admin-port-published.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'on loopback', file: 'compose.yaml', text: 'services:\n  api:\n    image: node:22\n    ports:\n      - "127.0.0.1:9229:9229"\n' },
    { name: 'the same port numbers of images that do not serve admin APIs there', file: 'compose.yaml', text: 'services:\n  web:\n    image: acme/web:1\n    ports:\n      - "8080:8080"\n      - "9090:9090"\n  caddy:\n    image: caddy:2.8.4\n    ports:\n      - "443:443"\n' },
    { name: 'a range', file: 'compose.yaml', text: 'services:\n  a:\n    build: .\n    ports:\n      - "9000-9300:9000-9300"\n' },
  ],
  invalid: [
    { name: 'the Node.js inspector (critical)', file: 'compose.yaml', text: 'services:\n  api:\n    build: .\n    command: node --inspect=0.0.0.0:9229 server.js\n    ports:\n      - "3000:3000"\n      - "9229:9229"\n', at: ['7:9'], message: 'the Node.js inspector' },
    { name: 'admin APIs by image: Caddy 2019, Traefik 8080, Ray 8265, Jupyter 8888', file: 'compose.yaml', text: 'services:\n  caddy:\n    image: caddy:2.8.4\n    ports:\n      - "2019:2019"\n  traefik:\n    image: traefik:v3.2\n    ports:\n      - "8080:8080"\n  ray:\n    image: rayproject/ray:2.40.0\n    ports:\n      - "8265:8265"\n  notebook:\n    image: jupyter/base-notebook:2024-01-01\n    ports:\n      - "8888:8888"\n', at: [5, 9, 13, 17] },
    { name: 'a port the service names as its metrics port', file: 'compose.yaml', text: 'services:\n  agent:\n    image: acme/agent:1\n    environment:\n      METRICS_PORT: "9464"\n    ports:\n      - "9464:9464"\n', at: [7], message: 'a metrics or debug listener' },
  ],
});
