import { rule } from '../../../../src/lint/rules/agent/debug-mode.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'production', file: '.env', text: 'DEBUG=false\nNODE_ENV=production\nLOG_LEVEL=info\n' },
    { name: 'dev compose file', file: 'docker-compose.dev.yml', text: 'services:\n  a:\n    environment:\n      - DEBUG=true\n' },
    { name: 'Traefik at INFO', file: 'traefik.yml', text: 'log:\n  level: INFO\nentryPoints:\n  web:\n    address: ":80"\n' },
    { name: 'Traefik flag at INFO', file: 'compose.yaml', text: 'services:\n  traefik:\n    image: traefik:v3.2\n    command:\n      - "--log.level=INFO"\n' },
    { name: 'dev compose file (prefix)', file: 'dev-compose.yaml', text: 'services:\n  a:\n    environment:\n      - LETTA_DEBUG=True\n' },
  ],
  invalid: [
    { name: 'LETTA_DEBUG=True', file: 'compose.yaml', text: 'services:\n  letta:\n    environment:\n      - LETTA_DEBUG=True\n', at: ['4:21'] },
    { name: 'NODE_ENV=development', file: '.env', text: 'NODE_ENV=development\n', at: [1] },
    { name: 'LOG_LEVEL=debug', file: '.env', text: 'LOG_LEVEL=debug\n', at: [1] },
    { name: 'YAML settings log.level', file: 'settings.yaml', text: 'log:\n  level: DEBUG\nauth_enabled: true\n', at: [2] },
    { name: 'Traefik static YAML log.level: DEBUG', file: 'traefik.yml', text: 'api:\n  dashboard: true\nlog:\n  level: DEBUG\nentryPoints:\n  web:\n    address: ":80"\n', at: ['4:10'], message: 'log.level=DEBUG' },
    { name: 'Traefik static TOML', file: 'traefik.toml', text: '[log]\n  level = "DEBUG"\n[entryPoints.web]\n  address = ":80"\n', at: [2] },
    { name: 'Traefik command flag in compose', file: 'compose.yaml', text: 'services:\n  traefik:\n    image: traefik:v3.2\n    command:\n      - "--log.level=DEBUG"\n', at: [5] },
    { name: 'Traefik env variable in compose', file: 'compose.yaml', text: 'services:\n  traefik:\n    image: traefik:v3.2\n    environment:\n      TRAEFIK_LOG_LEVEL: DEBUG\n', at: [5] },
  ],
});
