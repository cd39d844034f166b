import { rule } from '../../../../src/lint/rules/nginx/missing-security-headers.js';
import { ruleTable } from '../../support.js';

const ALL = '  add_header X-Content-Type-Options nosniff always;\n  add_header X-Frame-Options DENY always;\n  add_header Content-Security-Policy "default-src \'self\'" always;\n';

ruleTable(rule, {
  valid: [
    { name: 'all three on the server', file: 'site.conf', text: `server {\n${ALL}  location / { root /srv; }\n}\n` },
    { name: 'inherited from http, frame-ancestors in CSP', file: 'nginx.conf', text: "http {\n  add_header X-Content-Type-Options nosniff;\n  add_header Content-Security-Policy \"frame-ancestors 'none'\";\n  server { location / { root /srv; } }\n}\n" },
    { name: 'redirect-only server', file: 'site.conf', text: 'server {\n  listen 80;\n  return 301 https://$host$request_uri;\n}\n' },
  ],
  invalid: [
    { name: 'none', file: 'site.conf', text: 'server {\n  location / { proxy_pass http://app:3000; }\n}\n', at: ['1:1'], message: 'X-Content-Type-Options, X-Frame-Options, Content-Security-Policy' },
    { name: 'CSP missing', file: 'site.conf', text: 'server {\n  add_header X-Content-Type-Options nosniff;\n  add_header X-Frame-Options DENY;\n  root /srv;\n}\n', at: [1], message: 'no Content-Security-Policy' },
  ],
});
