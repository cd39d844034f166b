import { rule } from '../../../../src/lint/rules/nginx/no-rate-limit.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'limit_req on the location', file: 'site.conf', text: 'limit_req_zone $binary_remote_addr zone=api:10m rate=10r/s;\nserver {\n  location /api/ {\n    limit_req zone=api burst=20;\n    proxy_pass http://app;\n  }\n}\n' },
    {
      name: 'cross-file: a conf.d fragment using the zone nginx.conf above it defines',
      file: 'nginx/conf.d/default.conf',
      text: 'server {\n  location /v1/ {\n    limit_req zone=api burst=20 nodelay;\n    proxy_pass http://app;\n  }\n}\n',
      extra: { 'nginx/nginx.conf': 'http {\n  limit_req_zone $binary_remote_addr zone=api:10m rate=10r/s;\n  include conf.d/*.conf;\n}\n' },
    },
    {
      name: 'catch-all location to an agent, limited',
      file: 'nginx.conf',
      text: 'http {\n  limit_req_zone $binary_remote_addr zone=agent:10m rate=5r/s;\n  server {\n    set $target "http://letta-server:8283";\n    location / {\n      limit_req zone=agent burst=10;\n      proxy_pass $target;\n    }\n  }\n}\n',
    },
    { name: 'catch-all location to a web front end', file: 'site.conf', text: 'server {\n  location / { proxy_pass http://web:3000; }\n  location /assets/ { root /srv; }\n}\n' },
    { name: 'a zone given by a template placeholder', file: 'site.conf.template', text: 'server {\n  location /api/ {\n    limit_req zone=${ZONE} burst=20;\n    proxy_pass http://app;\n  }\n}\n' },
    {
      name: 'limit_req inherited from http',
      file: 'nginx.conf',
      text: 'http {\n  limit_req_zone $binary_remote_addr zone=api:10m rate=10r/s;\n  limit_req zone=api;\n  server {\n    location /v1 { proxy_pass http://app; }\n    location /mcp { proxy_pass http://mcp; }\n  }\n}\n',
    },
    { name: 'limit_conn on the server', file: 'site.conf', text: 'limit_conn_zone $binary_remote_addr zone=perip:10m;\nserver {\n  limit_conn perip 20;\n  location /ws { proxy_pass http://app; }\n}\n' },
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
    {
      name: 'Letta\'s stock nginx.conf: catch-all location / to the agent through set $api_target',
      file: 'nginx.conf',
      text: 'http {\n  server {\n    listen 80;\n    set $api_target "http://letta-server:8283";\n    location / {\n      resolver 127.0.0.11;\n      proxy_pass $api_target;\n    }\n  }\n}\n',
      at: ['5:5'],
      message: 'location / proxies to an agent (letta-server:8283) and has no limit_req or limit_conn',
    },
    {
      name: 'catch-all to an upstream on a distinctive agent port, and to an agent the compose file beside it runs',
      file: 'proxy/site.conf',
      text: 'upstream chat { server 10.0.0.5:3080; }\nserver {\n  location / { proxy_pass http://chat; }\n  location /app/ { proxy_pass http://brain:8080; }\n}\n',
      extra: { 'compose.yaml': 'services:\n  brain:\n    image: ghcr.io/open-webui/open-webui:v0.6.5\n' },
      at: ['3:3', '4:3'],
    },
    { name: 'the routes of MCP, A2A and agent messaging', file: 'site.conf', text: 'server {\n  location /message { proxy_pass http://x; }\n  location /a2a/ { proxy_pass http://x; }\n  location /inject { proxy_pass http://x; }\n  location /sse { proxy_pass http://x; }\n}\n', at: [2, 3, 4, 5] },
    { name: 'limit_req naming a zone nothing defines', file: 'site.conf', text: 'server {\n  location /api/ {\n    limit_req zone=api burst=20;\n    proxy_pass http://app;\n  }\n}\n', at: [2], message: 'limits through zone api, which no limit_req_zone defines' },
    {
      name: 'limits that are no limits: rate=20000r/s, burst=20000, 5000 connections',
      file: 'nginx.conf',
      text: 'http {\n  limit_req_zone $binary_remote_addr zone=fast:10m rate=20000r/s;\n  limit_req_zone $binary_remote_addr zone=slow:10m rate=10r/s;\n  limit_conn_zone $binary_remote_addr zone=c:10m;\n  server {\n    location /api/ { limit_req zone=fast; proxy_pass http://a; }\n    location /v1/ { limit_req zone=slow burst=20000; proxy_pass http://a; }\n    location /ws/ { limit_conn c 5000; proxy_pass http://a; }\n  }\n}\n',
      at: [6, 7, 8],
      message: 'no limit',
    },
    { name: 'zone defined but limit_req not applied', file: 'nginx.conf', text: 'http {\n  limit_req_zone $binary_remote_addr zone=api:10m rate=10r/s;\n  server {\n    location /mcp { proxy_pass http://mcp; }\n  }\n}\n', at: [4] },
  ],
});
