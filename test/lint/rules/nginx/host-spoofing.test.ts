import { rule } from '../../../../src/lint/rules/nginx/host-spoofing.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [{ name: '$host', file: 'site.conf', text: 'server {\n  location / {\n    proxy_set_header Host $host;\n    proxy_pass http://app;\n  }\n}\n' }],
  invalid: [
    { name: '$http_host', file: 'site.conf', text: 'server {\n  location / {\n    proxy_set_header Host $http_host;\n    proxy_pass http://app;\n  }\n}\n', at: ['3:27'] },
    { name: 'X-Forwarded-Host in http', file: 'nginx.conf', text: 'http {\n  proxy_set_header X-Forwarded-Host "$http_host";\n}\n', at: [2] },
  ],
});
