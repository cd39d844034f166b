import { rule } from '../../../../src/lint/rules/caddy/admin-api-exposed.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'the default', file: 'Caddyfile', text: 'agent.example.com {\n\treverse_proxy agent:8283\n}\n' },
    { name: 'loopback, a socket, off', file: 'Caddyfile', text: '{\n\tadmin localhost:2019\n}\n' },
    { name: 'a unix socket', file: 'Caddyfile', text: '{\n\tadmin unix//run/caddy-admin.sock\n}\nexample.com {\n\trespond "ok"\n}\n' },
    { name: 'off', file: 'Caddyfile', text: '{\n\tadmin off\n\temail ops@example.com\n}\n' },
  ],
  invalid: [
    { name: 'admin :2019', file: 'Caddyfile', text: '{\n\tadmin :2019\n}\nexample.com {\n\treverse_proxy app:3000\n}\n', at: ['2:8'], message: 'admin :2019' },
    { name: 'admin 0.0.0.0:2019 with options', file: 'Caddyfile', text: '{\n\temail ops@example.com\n\tadmin 0.0.0.0:2019 {\n\t\torigins caddy:2019\n\t}\n}\n', at: [3] },
  ],
});
