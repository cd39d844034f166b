import { rule } from '../../../../src/lint/rules/k8s/writable-root-fs.js';
import { ruleTable } from '../../support.js';
import { deployment, HARDENED } from './support.js';

ruleTable(rule, {
  valid: [{ name: 'read-only', file: 'deploy.yaml', text: deployment(HARDENED) }],
  invalid: [
    { name: 'unset', file: 'deploy.yaml', text: deployment(''), at: ['9:11'] },
    { name: 'false', file: 'deploy.yaml', text: deployment('          securityContext:\n            readOnlyRootFilesystem: false\n'), at: [12] },
  ],
});
