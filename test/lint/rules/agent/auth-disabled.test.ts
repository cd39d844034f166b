import { rule } from '../../../../src/lint/rules/agent/auth-disabled.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'auth on', file: '.env', text: 'WS_AUTH_ENABLED=true\nAUTH_ENABLED=1\nDISABLE_AUTH=false\n' },
    { name: 'AUTH_DISABLED=false (mem0)', file: '.env', text: 'AUTH_DISABLED=false\n' },
    { name: 'redis with requirepass', file: 'compose.yaml', text: 'services:\n  redis:\n    image: redis:7\n    command: redis-server --requirepass ${REDIS_PASSWORD}\n    ports:\n      - "6379:6379"\n' },
    { name: 'redis not published', file: 'compose.yaml', text: 'services:\n  redis:\n    image: redis:7\n' },
    { name: 'redis on loopback', file: 'compose.yaml', text: 'services:\n  redis:\n    image: redis:7\n    ports:\n      - "127.0.0.1:6379:6379"\n' },
  ],
  invalid: [
    { name: 'WS_AUTH_ENABLED=false', file: '.env', text: 'WS_AUTH_ENABLED=false\n', at: ['1:17'] },
    { name: 'WEBUI_AUTH=False in compose', file: 'docker-compose.yml', text: 'services:\n  ui:\n    environment:\n      - WEBUI_AUTH=False\n', at: ['4:20'] },
    { name: 'DISABLE_AUTH=true', file: '.env', text: 'DISABLE_AUTH=true\n', at: [1] },
    { name: 'mongod --noauth', file: 'compose.yaml', text: 'services:\n  mongodb:\n    image: mongo:8\n    command: mongod --noauth\n', at: [4], message: '--noauth' },
    { name: 'elasticsearch xpack off', file: 'compose.yaml', text: 'services:\n  es:\n    image: elasticsearch:8.15.0\n    environment:\n      - xpack.security.enabled=false\n', at: [5] },
    { name: 'published redis without requirepass', file: 'compose.yaml', text: 'services:\n  redis:\n    image: redis:7\n    ports:\n      - "6379:6379"\n', at: [5], message: 'requirepass' },
    { name: 'TOML auth_enabled = false', file: 'settings.toml', text: '[server]\nauth_enabled = false\ntls_enabled = true\n', at: ['2:16'] },
  ],
});
