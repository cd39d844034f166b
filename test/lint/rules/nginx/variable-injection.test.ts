import { rule } from '../../../../src/lint/rules/nginx/variable-injection.js';
import { ruleTable } from '../../support.js';

const loc = (body: string): string => `server {\n  location / {\n${body}  }\n}\n`;

ruleTable(rule, {
  valid: [
    { name: 'fixed upstream with request_uri path', file: 'site.conf', text: loc('    proxy_pass http://api:3080$request_uri;\n') },
    { name: 'set to a constant', file: 'site.conf', text: loc('    set $t "http://letta:8283";\n    proxy_pass $t;\n') },
    { name: 'template placeholder upstream', file: 'default.conf.template', text: loc('    set $up ${UPSTREAM};\n    proxy_pass http://$up;\n') },
    { name: 'redirect from request_uri', file: 'site.conf', text: loc('    return 301 https://$host$request_uri;\n') },
  ],
  invalid: [
    { name: 'host from a header', file: 'site.conf', text: loc('    proxy_pass http://$http_x_backend/api;\n'), at: ['3:16'], message: 'SSRF' },
    { name: 'host from a set variable fed by an argument', file: 'site.conf', text: loc('    set $target $arg_host;\n    proxy_pass https://$target;\n'), at: [4] },
    { name: 'regex capture as host', file: 'site.conf', text: 'server {\n  location ~ ^/p/([^/]+)/(.*)$ {\n    proxy_pass http://$1/$2;\n  }\n}\n', at: [3] },
    { name: '$uri in a redirect', file: 'site.conf', text: loc('    return 302 https://example.com$uri;\n'), at: ['3:5'], message: 'splitting' },
    { name: '$uri in add_header', file: 'site.conf', text: loc('    add_header X-Path $uri;\n'), at: [3] },
  ],
});
