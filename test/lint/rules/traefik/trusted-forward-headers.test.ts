import { rule } from '../../../../src/lint/rules/traefik/trusted-forward-headers.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [{ name: 'forwardAuth without trust', file: 'dynamic.yml', text: 'http:\n  middlewares:\n    auth:\n      forwardAuth:\n        address: http://auth:8000/verify\n' }],
  invalid: [
    { name: 'trustForwardHeader', file: 'dynamic.yml', text: 'http:\n  middlewares:\n    auth:\n      forwardAuth:\n        address: http://auth:8000/verify\n        trustForwardHeader: true\n', at: ['6:29'] },
    { name: 'insecureSkipVerify flag', file: 'compose.yaml', text: 'services:\n  traefik:\n    image: traefik:v3.2\n    command:\n      - --serversTransport.insecureSkipVerify=true\n', at: [5], message: 'not verified' },
  ],
});
