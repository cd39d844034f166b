import assert from 'node:assert/strict';
import { it } from 'node:test';
import { rule } from '../../../../src/lint/rules/nginx/wildcard-cors.js';
import { ruleTable, runRule } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'fixed origin', file: 'site.conf', text: 'server {\n  add_header Access-Control-Allow-Origin https://app.example.com;\n}\n' },
    { name: 'origin from a map', file: 'site.conf', text: 'server {\n  add_header Access-Control-Allow-Origin $cors_origin;\n}\n' },
  ],
  invalid: [
    { name: 'star', file: 'site.conf', text: 'server {\n  location /api/ {\n    add_header Access-Control-Allow-Origin "*";\n  }\n}\n', at: ['3:5'] },
    { name: 'reflected origin with credentials', file: 'site.conf', text: 'server {\n  add_header Access-Control-Allow-Origin $http_origin always;\n  add_header Access-Control-Allow-Credentials true;\n}\n', at: [2], message: 'with credentials' },
    { name: 'more_set_headers', file: 'site.conf', text: "server {\n  more_set_headers 'Access-Control-Allow-Origin: *';\n}\n", at: [2] },
  ],
});

it('nginx/wildcard-cors: a reflected origin with credentials is critical', () => {
  const f = runRule(rule, 'site.conf', 'server {\n  add_header Access-Control-Allow-Origin $http_origin;\n  add_header Access-Control-Allow-Credentials true;\n}\n');
  assert.equal(f[0]?.severity, 'critical');
});
