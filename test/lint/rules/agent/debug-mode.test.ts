import { rule } from '../../../../src/lint/rules/agent/debug-mode.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'production', file: '.env', text: 'DEBUG=false\nNODE_ENV=production\nLOG_LEVEL=info\n' },
    { name: 'dev compose file', file: 'docker-compose.dev.yml', text: 'services:\n  a:\n    environment:\n      - DEBUG=true\n' },
    { name: 'Traefik at INFO', file: 'traefik.yml', text: 'log:\n  level: INFO\nentryPoints:\n  web:\n    address: ":80"\n' },
    { name: 'Traefik flag at INFO', file: 'compose.yaml', text: 'services:\n  traefik:\n    image: traefik:v3.2\n    command:\n      - "--log.level=INFO"\n' },
    { name: 'RUST_LOG at info with one crate at debug', file: '.env', text: 'RUST_LOG=info,tower_http=debug\n' },
    { name: '--reload in a compose project named for development', file: 'docker-compose.yaml', text: 'name: app-dev\nservices:\n  a:\n    command: uvicorn main:app --reload\n' },
    { name: 'a --debug-port flag is not debug mode', file: 'compose.yaml', text: 'services:\n  a:\n    command: ["serve", "--debug-port", "0"]\n' },
    { name: 'dev compose file (prefix)', file: 'dev-compose.yaml', text: 'services:\n  a:\n    environment:\n      - LETTA_DEBUG=True\n' },
  ],
  invalid: [
    { name: 'LETTA_DEBUG=True', file: 'compose.yaml', text: 'services:\n  letta:\n    environment:\n      - LETTA_DEBUG=True\n', at: ['4:21'] },
    { name: 'RUST_LOG and LOG_LEVEL at debug or trace', file: '.env', text: 'RUST_LOG=trace\nAPP_LOG_LEVEL=debug\nRUST_LOG_LEVEL=debug\n', at: [1, 2, 3] },
    { name: '--reload and --debug in compose commands, sh -c included', file: 'compose.yaml', text: 'services:\n  api:\n    command: >\n      sh -c "alembic upgrade head && uvicorn main:app --host 0.0.0.0 --reload"\n  web:\n    command: ["node", "server.js", "--debug"]\n', at: [4, 6], message: 'in a deploy config' },
    { name: '--log-level debug in Kubernetes args', file: 'k8s.yaml', text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n    - name: a\n      image: acme/a:1\n      args: ["--log-level", "debug"]\n', at: [9], message: '--log-level debug' },
    { name: 'nested logging.level in TOML', file: 'server.toml', text: '[logging]\nlevel = "trace"\n[auth]\nenabled = true\n', at: [2] },
    { name: 'NODE_ENV=development', file: '.env', text: 'NODE_ENV=development\n', at: [1] },
    { name: 'LOG_LEVEL=debug', file: '.env', text: 'LOG_LEVEL=debug\n', at: [1] },
    { name: 'YAML settings log.level', file: 'settings.yaml', text: 'log:\n  level: DEBUG\nauth_enabled: true\n', at: [2] },
    { name: 'Traefik static YAML log.level: DEBUG', file: 'traefik.yml', text: 'api:\n  dashboard: true\nlog:\n  level: DEBUG\nentryPoints:\n  web:\n    address: ":80"\n', at: ['4:10'], message: 'log.level=DEBUG' },
    { name: 'Traefik static TOML', file: 'traefik.toml', text: '[log]\n  level = "DEBUG"\n[entryPoints.web]\n  address = ":80"\n', at: [2] },
    { name: 'Traefik command flag in compose', file: 'compose.yaml', text: 'services:\n  traefik:\n    image: traefik:v3.2\n    command:\n      - "--log.level=DEBUG"\n', at: [5] },
    { name: 'Traefik env variable in compose', file: 'compose.yaml', text: 'services:\n  traefik:\n    image: traefik:v3.2\n    environment:\n      TRAEFIK_LOG_LEVEL: DEBUG\n', at: [5] },
  ],
});
