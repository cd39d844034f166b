import { rule } from '../../../../src/lint/rules/agent/audit-log-disabled.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'on', file: '.env', text: 'SECURITY_AUDIT_LOG=true\nENABLE_AUDIT_LOGGING=1\n' },
    { name: 'a path is not a switch', file: '.env', text: 'AUDIT_LOG_PATH=/var/log/audit.log\n' },
  ],
  invalid: [
    { name: 'SECURITY_AUDIT_LOG=false', file: '.env', text: 'SECURITY_AUDIT_LOG=false\n', at: ['1:20'] },
    { name: 'ENABLE_AUDIT_LOGGING=0 in compose', file: 'compose.yaml', text: 'services:\n  a:\n    environment:\n      - ENABLE_AUDIT_LOGGING=0\n', at: [4] },
    { name: 'TOML [observability] audit_logging = false', file: 'agent.toml', text: '[server]\ntls_enabled = true\n\n[observability]\naudit_logging = false\n', at: ['5:17'] },
  ],
});
