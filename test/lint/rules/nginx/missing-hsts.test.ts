import { rule } from '../../../../src/lint/rules/nginx/missing-hsts.js';
import { ruleTable } from '../../support.js';

const HSTS = '  add_header Strict-Transport-Security "max-age=63072000" always;\n';
const redirect = 'server {\n  listen 80;\n  return 301 https://$host$request_uri;\n}\n';
const tls = (body: string): string => `server {\n  listen 443 ssl;\n  ssl_certificate /c.pem;\n${body}  location / { proxy_pass http://app:3000; }\n}\n`;

ruleTable(rule, {
  valid: [
    { name: 'TLS server with HSTS, port 80 redirects', file: 'site.conf', text: redirect + tls(HSTS) },
    { name: 'HSTS inherited from http', file: 'nginx.conf', text: `http {\n${HSTS}${tls('')}}\n` },
    { name: 'plain HTTP only (default profile)', file: 'site.conf', text: 'server {\n  listen 80;\n  location / { proxy_pass http://app:3000; }\n}\n' },
    { name: 'template with an https placeholder', file: 'default.conf.template', text: 'server {\n  listen 443 ssl;\n  ${HTTPS_CONFIG}\n}\n' },
  ],
  invalid: [
    { name: 'TLS server without HSTS', file: 'site.conf', text: redirect + tls(''), at: ['5:1'] },
    {
      name: 'server-level add_header hides http HSTS',
      file: 'nginx.conf',
      text: `http {\n${HSTS}${tls('  add_header X-Frame-Options DENY;\n')}}\n`,
      at: [3],
    },
    { name: 'port 80 serves the app beside TLS', file: 'site.conf', text: `server {\n  listen 80;\n  location / { proxy_pass http://app:3000; }\n}\n${tls(HSTS)}`, at: ['1:1'], message: 'instead of redirecting' },
    { name: 'plain HTTP under strict', file: 'site.conf', text: 'server {\n  listen 80;\n  location / { proxy_pass http://app:3000; }\n}\n', profile: 'strict', at: [1] },
  ],
});
