import { rule } from '../../../../src/lint/rules/nginx/allow-without-deny.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'allow then deny all', file: 'site.conf', text: 'server {\n  location /admin {\n    allow 10.0.0.0/8;\n    deny all;\n  }\n}\n' },
    { name: 'no access rules', file: 'site.conf', text: 'server {\n  location / { root /srv; }\n}\n' },
  ],
  invalid: [
    { name: 'allow alone', file: 'site.conf', text: 'server {\n  location /admin {\n    allow 10.0.0.0/8;\n    allow 127.0.0.1;\n  }\n}\n', at: ['3:5'], message: '10.0.0.0/8, 127.0.0.1' },
    { name: 'deny of one address is not deny all', file: 'site.conf', text: 'server {\n  allow 10.0.0.1;\n  deny 10.0.0.2;\n}\n', at: [2] },
  ],
});
