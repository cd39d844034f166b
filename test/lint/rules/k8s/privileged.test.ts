import { rule } from '../../../../src/lint/rules/k8s/privileged.js';
import { ruleTable } from '../../support.js';
import { deployment, HARDENED } from './support.js';

ruleTable(rule, {
  valid: [{ name: 'hardened', file: 'deploy.yaml', text: deployment(HARDENED) }, { name: 'no securityContext', file: 'deploy.yaml', text: deployment('') }],
  invalid: [
    { name: 'privileged', file: 'deploy.yaml', text: deployment('          securityContext:\n            privileged: true\n'), at: ['12:25'], message: 'container app runs privileged' },
    { name: 'escalation in a CronJob init container', file: 'cron.yaml', text: 'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: c\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          initContainers:\n            - name: i\n              image: busybox:1.36\n              securityContext:\n                allowPrivilegeEscalation: true\n', at: [14], message: 'init container i' },
  ],
});
