import { rule } from '../../../../src/lint/rules/k8s/run-as-root.js';
import { ruleTable } from '../../support.js';
import { deployment, HARDENED } from './support.js';

ruleTable(rule, {
  valid: [
    { name: 'runAsNonRoot on the container', file: 'deploy.yaml', text: deployment(HARDENED) },
    { name: 'runAsUser on the pod', file: 'deploy.yaml', text: deployment('', '      securityContext:\n        runAsUser: 1000\n') },
  ],
  invalid: [
    { name: 'nothing set', file: 'deploy.yaml', text: deployment(''), at: ['9:11'] },
    { name: 'runAsUser 0 overrides the pod', file: 'deploy.yaml', text: deployment('          securityContext:\n            runAsUser: 0\n', '      securityContext:\n        runAsNonRoot: true\n'), at: [14], message: 'runAsUser: 0' },
  ],
});
