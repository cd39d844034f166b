import { rule } from '../../../../src/lint/rules/traefik/insecure-api.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'dashboard behind basicAuth', file: 'dynamic.yml', text: 'http:\n  routers:\n    dash:\n      rule: Host(`t.example.com`)\n      service: api@internal\n      middlewares: [admin]\n  middlewares:\n    admin:\n      basicAuth:\n        users: ["a:$apr1$x"]\n' },
    { name: 'api without insecure', file: 'traefik.yml', text: 'api:\n  dashboard: true\nentryPoints:\n  websecure:\n    address: ":443"\n' },
  ],
  invalid: [
    { name: 'api.insecure in the static file', file: 'traefik.yml', text: 'api:\n  insecure: true\nentryPoints:\n  web:\n    address: ":8080"\n', at: ['2:13'] },
    { name: '--api.insecure flag in compose', file: 'compose.yaml', text: 'services:\n  traefik:\n    image: traefik:v3.2\n    command:\n      - "--api.insecure=true"\n', at: ['5:9'] },
    { name: 'dashboard router without auth (TOML)', file: 'dynamic.toml', text: '[http.routers.dash]\nrule = "Host(`t.example.com`)"\nservice = "api@internal"\n', at: [2] },
  ],
});
