import { rule } from '../../../../src/lint/rules/caddy/wildcard-cors.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'an exact origin', file: 'Caddyfile', text: 'api.example.com {\n\theader Access-Control-Allow-Origin https://app.example.com\n\treverse_proxy api:8000\n}\n' },
    { name: 'another header', file: 'Caddyfile', text: 'api.example.com {\n\theader {\n\t\tStrict-Transport-Security "max-age=63072000"\n\t\t-Server\n\t}\n}\n' },
  ],
  invalid: [
    { name: 'inline *', file: 'Caddyfile', text: 'mcp.example.com {\n\theader Access-Control-Allow-Origin *\n\treverse_proxy mcp:8000\n}\n', at: ['2:37'] },
    { name: 'in a header block, with a matcher, reflected', file: 'Caddyfile', text: 'mcp.example.com {\n\t@sse path /sse*\n\theader @sse {\n\t\tAccess-Control-Allow-Origin {header.Origin}\n\t\tAccess-Control-Allow-Credentials true\n\t}\n}\n', at: [4], message: 'reflects the request Origin' },
    { name: 'in an imported snippet', file: 'Caddyfile', text: '(cors) {\n\theader Access-Control-Allow-Origin "*"\n}\napi.example.com {\n\timport cors\n\treverse_proxy api:8000\n}\n', at: [2] },
  ],
});
