import { rule } from '../../../../src/lint/rules/k8s/host-access.js';
import { ruleTable } from '../../support.js';
import { deployment } from './support.js';

ruleTable(rule, {
  valid: [
    { name: 'no host access', file: 'deploy.yaml', text: deployment('', '      volumes:\n        - name: d\n          emptyDir: {}\n') },
    { name: 'hostNetwork false', file: 'deploy.yaml', text: deployment('', '      hostNetwork: false\n') },
  ],
  invalid: [
    { name: 'host namespaces', file: 'deploy.yaml', text: deployment('', '      hostNetwork: true\n      hostPID: true\n'), at: ['8:20', 9] },
    { name: 'docker socket', file: 'pod.yaml', text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: a\n      image: a:1\n  volumes:\n    - name: s\n      hostPath:\n        path: /var/run/docker.sock\n', at: ['12:15'], message: 'runtime socket' },
  ],
});
