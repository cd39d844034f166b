import { rule } from '../../../../src/lint/rules/nginx/alias-traversal.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'both with slash', file: 'site.conf', text: 'server {\n  location /static/ {\n    alias /srv/static/;\n  }\n}\n' },
    { name: 'neither with slash', file: 'site.conf', text: 'server {\n  location /static {\n    alias /srv/static;\n  }\n}\n' },
    { name: 'regex location', file: 'site.conf', text: 'server {\n  location ~ ^/i/(.*)$ {\n    alias /srv/i/$1;\n  }\n}\n' },
  ],
  invalid: [{ name: 'location without slash, alias with', file: 'site.conf', text: 'server {\n  location /static {\n    alias /srv/static/;\n  }\n}\n', at: ['3:5'], message: '/static../' }],
});
