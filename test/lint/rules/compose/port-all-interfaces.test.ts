import { rule } from '../../../../src/lint/rules/compose/port-all-interfaces.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'loopback', file: 'compose.yaml', text: 'services:\n  a:\n    ports:\n      - "127.0.0.1:8080:80"\n' },
    { name: 'IPv6 loopback', file: 'compose.yaml', text: 'services:\n  a:\n    ports:\n      - "[::1]:8080:80"\n' },
    { name: 'a reverse proxy\'s own 80 and 443', file: 'compose.yaml', text: 'services:\n  traefik:\n    image: traefik:v3.2\n    ports:\n      - "80:80"\n      - "443:443"\n  nginx:\n    build: ./nginx\n    ports:\n      - "80:80"\n' },
    { name: 'long syntax with host_ip', file: 'compose.yaml', text: 'services:\n  a:\n    ports:\n      - target: 80\n        published: 8080\n        host_ip: 127.0.0.1\n' },
  ],
  invalid: [
    { name: 'no host IP: one finding per service, listing its ports', file: 'compose.yaml', text: 'services:\n  a:\n    ports:\n      - "8080:80"\n      - 9000\n', at: ['4:9'], message: 'publishes ports 8080:80, 9000 on all interfaces' },
    { name: 'a proxy\'s dashboard port is not its entry point', file: 'compose.yaml', text: 'services:\n  traefik:\n    image: traefik:v3.2\n    ports:\n      - "80:80"\n      - "8080:8080"\n', at: [6], message: 'publishes port 8080:8080' },
    { name: '0.0.0.0', file: 'compose.yaml', text: 'services:\n  a:\n    ports:\n      - "0.0.0.0:8080:80"\n', at: [4] },
  ],
});
