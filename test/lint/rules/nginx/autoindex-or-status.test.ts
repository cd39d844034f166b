import { rule } from '../../../../src/lint/rules/nginx/autoindex-or-status.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'autoindex off', file: 'site.conf', text: 'server {\n  autoindex off;\n}\n' },
    { name: 'restricted stub_status', file: 'site.conf', text: 'server {\n  location /status {\n    stub_status;\n    allow 127.0.0.1;\n    deny all;\n  }\n}\n' },
    { name: 'stub_status restricted at server level', file: 'site.conf', text: 'server {\n  deny all;\n  location /status {\n    stub_status;\n  }\n}\n' },
  ],
  invalid: [
    { name: 'autoindex on', file: 'site.conf', text: 'server {\n  location /files/ {\n    autoindex on;\n  }\n}\n', at: ['3:5'] },
    { name: 'open stub_status', file: 'site.conf', text: 'server {\n  location /nginx_status {\n    stub_status on;\n  }\n}\n', at: [3], message: 'stub_status' },
  ],
});
