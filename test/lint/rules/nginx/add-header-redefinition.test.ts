import { rule } from '../../../../src/lint/rules/nginx/add-header-redefinition.js';
import { ruleTable } from '../../support.js';

const server = (loc: string): string => `server {\n  add_header X-Frame-Options DENY always;\n  add_header Strict-Transport-Security "max-age=31536000" always;\n  location /static/ {\n${loc}  }\n}\n`;

ruleTable(rule, {
  valid: [
    { name: 'location without add_header inherits', file: 'site.conf', text: server('    root /srv;\n') },
    { name: 'location repeats the security headers', file: 'site.conf', text: server('    add_header Cache-Control public;\n    add_header X-Frame-Options DENY always;\n    add_header Strict-Transport-Security "max-age=31536000" always;\n') },
    { name: 'add_header_inherit merge', file: 'site.conf', text: server('    add_header_inherit merge;\n    add_header Cache-Control public;\n') },
    { name: 'parent has no security headers', file: 'site.conf', text: 'server {\n  add_header X-Served-By me;\n  location / { add_header Cache-Control no-store; }\n}\n' },
  ],
  invalid: [
    { name: 'Cache-Control in a location drops both', file: 'site.conf', text: server('    add_header Cache-Control public;\n'), at: ['5:5'], message: 'strict-transport-security, x-frame-options' },
    { name: 'server add_header drops http headers', file: 'nginx.conf', text: 'http {\n  add_header X-Content-Type-Options nosniff;\n  server {\n    add_header X-Served-By me;\n  }\n}\n', at: [4] },
    { name: 'add_header inside if', file: 'site.conf', text: server('    if ($request_method = OPTIONS) {\n      add_header Access-Control-Max-Age 600;\n    }\n'), at: [6] },
  ],
});
