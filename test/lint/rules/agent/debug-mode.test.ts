import { rule } from '../../../../src/lint/rules/agent/debug-mode.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'production', file: '.env', text: 'DEBUG=false\nNODE_ENV=production\nLOG_LEVEL=info\n' },
    { name: 'dev compose file', file: 'docker-compose.dev.yml', text: 'services:\n  a:\n    environment:\n      - DEBUG=true\n' },
    { name: 'dev compose file (prefix)', file: 'dev-compose.yaml', text: 'services:\n  a:\n    environment:\n      - LETTA_DEBUG=True\n' },
  ],
  invalid: [
    { name: 'LETTA_DEBUG=True', file: 'compose.yaml', text: 'services:\n  letta:\n    environment:\n      - LETTA_DEBUG=True\n', at: ['4:21'] },
    { name: 'NODE_ENV=development', file: '.env', text: 'NODE_ENV=development\n', at: [1] },
    { name: 'LOG_LEVEL=debug', file: '.env', text: 'LOG_LEVEL=debug\n', at: [1] },
    { name: 'YAML settings log.level', file: 'settings.yaml', text: 'log:\n  level: DEBUG\nauth_enabled: true\n', at: [2] },
  ],
});
