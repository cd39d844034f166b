import { rule } from '../../../../src/lint/rules/k8s/literal-secret-env.js';
import { ruleTable } from '../../support.js';
import { deployment } from './support.js';

ruleTable(rule, {
  valid: [
    { name: 'secretKeyRef', file: 'deploy.yaml', text: deployment('          env:\n            - name: DB_PASSWORD\n              valueFrom:\n                secretKeyRef:\n                  name: s\n                  key: p\n') },
    { name: 'non-secret literal and a $(VAR) reference', file: 'deploy.yaml', text: deployment('          env:\n            - name: PORT\n              value: "8080"\n            - name: API_TOKEN\n              value: $(TOKEN_FROM_SECRET)\n') },
    { name: 'ConfigMap without secrets', file: 'cm.yaml', text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  POSTGRES_DB: n8n\n' },
  ],
  invalid: [
    { name: 'literal password', file: 'deploy.yaml', text: deployment('          env:\n            - name: DB_PASSWORD\n              value: hunter2hunter2\n'), at: ['13:22'], message: 'Deployment/web/app sets DB_PASSWORD' },
    { name: 'secret in a ConfigMap, second document', file: 'all.yaml', text: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  POSTGRES_PASSWORD: changeme123\n', at: ['11:22'], message: 'ConfigMap c' },
  ],
});
