import { rule } from '../../../../src/lint/rules/agent/tls-disabled.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'TLS on', file: '.env', text: 'SSL_ENABLED=true\n' },
    { name: 'TLS off on loopback', file: '.env', text: 'TLS_ENABLED=false\nHOST=127.0.0.1\n' },
    { name: 'datastore client TLS is another matter', file: '.env', text: 'REDIS_TLS_ENABLED=false\n' },
    { name: 'TLS 1.2 under the default profile', file: '.env', text: 'TLS_MIN_VERSION=1.2\n' },
    { name: 'TLS 1.3 under strict', file: '.env', text: 'TLS_MIN_VERSION=TLSv1.3\n', profile: 'strict' },
  ],
  invalid: [
    { name: 'nested service.enable_tls: false with host 0.0.0.0', file: 'config.yaml', text: 'service:\n  host: 0.0.0.0\n  enable_tls: false\nauth:\n  enabled: true\n', at: [3] },
    { name: 'SSL_ENABLED=false', file: '.env', text: 'SSL_ENABLED=false\n', at: ['1:13'] },
    { name: 'TOML [server] tls_enabled = false', file: 'agent.toml', text: '[server]\nhost = "0.0.0.0"\ntls_enabled = false\n', at: ['3:15'] },
    { name: 'TLS 1.0 allowed', file: '.env', text: 'TLS_MIN_VERSION=1.0\n', at: [1] },
    { name: 'TLS 1.2 under strict', file: '.env', text: 'TLS_MIN_VERSION=1.2\n', profile: 'strict', at: [1], message: 'below 1.3' },
  ],
});
