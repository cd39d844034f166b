import { rule } from '../../../../src/lint/rules/agent/audit-log-disabled.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'on', file: '.env', text: 'SECURITY_AUDIT_LOG=true\nENABLE_AUDIT_LOGGING=1\n' },
    { name: 'a path is not a switch', file: '.env', text: 'AUDIT_LOG_PATH=/var/log/audit.log\n' },
    { name: 'Traefik with its access log on', file: 'compose.yaml', text: 'services:\n  traefik:\n    image: traefik:v3.2\n    command: ["--accesslog=true", "--accesslog.format=json"]\n' },
  ],
  invalid: [
    { name: 'Traefik --accesslog=false', file: 'compose.yaml', text: 'services:\n  traefik:\n    image: traefik:v3.2\n    command:\n      - --providers.docker=true\n      - --accesslog=false\n', at: [6], message: '--accesslog=false' },
    { name: 'Traefik static file accessLog: false', file: 'traefik.yml', text: 'entryPoints:\n  web:\n    address: ":80"\naccessLog: false\n', at: [4] },
    { name: 'SECURITY_AUDIT_LOG=false', file: '.env', text: 'SECURITY_AUDIT_LOG=false\n', at: ['1:20'] },
    { name: 'ENABLE_AUDIT_LOGGING=0 in compose', file: 'compose.yaml', text: 'services:\n  a:\n    environment:\n      - ENABLE_AUDIT_LOGGING=0\n', at: [4] },
    { name: 'TOML [observability] audit_logging = false', file: 'agent.toml', text: '[server]\ntls_enabled = true\n\n[observability]\naudit_logging = false\n', at: ['5:17'] },
  ],
});
