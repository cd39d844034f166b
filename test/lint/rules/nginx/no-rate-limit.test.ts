import { rule } from '../../../../src/lint/rules/nginx/no-rate-limit.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'limit_req on the location', file: 'site.conf', text: 'server {\n  location /api/ {\n    limit_req zone=api burst=20;\n    proxy_pass http://app;\n  }\n}\n' },
    {
      name: 'limit_req inherited from http',
      file: 'nginx.conf',
      text: 'http {\n  limit_req_zone $binary_remote_addr zone=api:10m rate=10r/s;\n  limit_req zone=api;\n  server {\n    location /v1 { proxy_pass http://app; }\n    location /mcp { proxy_pass http://mcp; }\n  }\n}\n',
    },
    { name: 'limit_conn on the server', file: 'site.conf', text: 'server {\n  limit_conn perip 20;\n  location /ws { proxy_pass http://app; }\n}\n' },
    { name: 'not an agent route', file: 'site.conf', text: 'server {\n  location /static/ { root /srv; }\n  location /apiary { root /srv; }\n}\n' },
    { name: 'internal route', file: 'site.conf', text: 'server {\n  location /auth {\n    internal;\n    proxy_pass http://auth;\n  }\n}\n' },
  ],
  invalid: [
    {
      name: 'agent and auth routes',
      file: 'site.conf',
      text: 'server {\n  location /api/ { proxy_pass http://app; }\n  location /socket.io/ { proxy_pass http://app; }\n  location = /login { proxy_pass http://app; }\n  location / { proxy_pass http://web; }\n}\n',
      at: ['2:3', '3:3', '4:3'],
    },
    { name: 'regex alternatives', file: 'site.conf', text: 'server {\n  location ~ ^/(v1|api) { proxy_pass http://app; }\n}\n', at: [2], message: 'v1 route' },
    { name: 'zone defined but limit_req not applied', file: 'nginx.conf', text: 'http {\n  limit_req_zone $binary_remote_addr zone=api:10m rate=10r/s;\n  server {\n    location /mcp { proxy_pass http://mcp; }\n  }\n}\n', at: [4] },
  ],
});
