import { rule } from '../../../../src/lint/rules/nginx/server-tokens.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'off in http', file: 'nginx.conf', text: 'events {}\nhttp {\n  server_tokens off;\n  server { listen 80; }\n}\n' },
    { name: 'conf.d snippet without http', file: 'site.conf', text: 'server {\n  listen 80;\n  location / { proxy_pass http://app:3000; }\n}\n' },
  ],
  invalid: [
    { name: 'http without server_tokens', file: 'nginx.conf', text: 'events {}\nhttp {\n  server { listen 80; }\n}\n', at: ['2:1'] },
    { name: 'turned back on in a server', file: 'nginx.conf', text: 'http {\n  server_tokens off;\n  server {\n    server_tokens on;\n  }\n}\n', at: ['4:5'], message: 'server_tokens on' },
    { name: 'build value', file: 'site.conf', text: 'server {\n  listen 80;\n  server_tokens build;\n}\n', at: [3] },
  ],
});
