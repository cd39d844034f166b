import { rule } from '../../../../src/lint/rules/k8s/no-resource-limits.js';
import { ruleTable } from '../../support.js';
import { deployment, HARDENED } from './support.js';

ruleTable(rule, {
  valid: [{ name: 'both limits', file: 'deploy.yaml', text: deployment(HARDENED) }],
  invalid: [
    { name: 'none', file: 'deploy.yaml', text: deployment(''), at: ['9:11'], message: 'cpu or memory' },
    { name: 'requests only, memory limit', file: 'deploy.yaml', text: deployment('          resources:\n            requests:\n              cpu: 100m\n            limits:\n              memory: 1Gi\n'), at: [9], message: 'no cpu limit' },
  ],
});
