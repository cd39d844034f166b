import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseK8s } from '../../src/lint/parse/k8s.js';
import { rule as debugMode } from '../../src/lint/rules/agent/debug-mode.js';
import { rule as defaultSecret } from '../../src/lint/rules/agent/default-secret.js';
import { rule as llmKey } from '../../src/lint/rules/agent/llm-key-in-config.js';
import { rule as literalSecret } from '../../src/lint/rules/k8s/literal-secret-env.js';
import { lintMemory, runRule } from './support.js';

describe('Kubernetes manifests', () => {
  it('reads every document, List items, and the pod spec of each workload kind', () => {
    const text = [
      'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Pod\n    metadata: {name: p}\n    spec:\n      containers: [{name: a, image: "a:1"}]\n',
      'apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: s}\nspec:\n  template:\n    spec:\n      initContainers: [{name: i, image: "i:1"}]\n      containers: [{name: c, image: "c:1"}]\n',
      'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: cj}\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers: [{name: j, image: "j:1"}]\n',
      'apiVersion: v1\nkind: Service\nmetadata: {name: svc}\n',
    ].join('---\n');
    const p = parseK8s(text);
    assert.deepEqual(p.errors, []);
    assert.deepEqual(p.objects.map((o) => `${o.kind}/${o.name}:${o.containers.map((c) => `${c.name}${c.init ? '(init)' : ''}`).join(',')}`), ['Pod/p:a', 'StatefulSet/s:i(init),c', 'CronJob/cj:j', 'Service/svc:']);
    assert.equal(p.objects[2]?.at.line, 20);
  });

  it('caps a YAML bomb instead of expanding it', () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\n${lines.join('\n')}\n`;
    const r = lintMemory({ 'bomb.yaml': text });
    assert.equal(r.runtimeFailures, 0);
    assert.deepEqual(r.findings.map((f) => f.ruleId), ['k8s/parse-error']);
    assert.match(r.findings[0]?.message ?? '', /YAML bomb/);
  });

  it('turns bad YAML into k8s/parse-error and leaves Helm templates alone', () => {
    const r = lintMemory({ 'bad.yaml': 'apiVersion: v1\nkind: Pod\nspec: [\n', 'templates/d.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}-web\n' });
    assert.deepEqual(r.files, ['bad.yaml']);
    assert.deepEqual(r.findings.map((f) => f.ruleId), ['k8s/parse-error']);
  });

  it('applies the agent rules to container env values', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: a\n      image: a:1\n      env:\n        - name: JWT_SECRET\n          value: changeme\n';
    assert.deepEqual(runRule(defaultSecret, 'pod.yaml', text).map((f) => `${f.line}:${f.column}`), ['10:18']);
  });

  it('applies the agent rules to ConfigMap data (what envFrom feeds in), and the template check to Secrets', () => {
    const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: agent-env\ndata:\n  DEBUG: "true"\n  OPENAI_API_KEY: sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb3dEf6h\n';
    assert.deepEqual(runRule(debugMode, 'cm.yaml', cm).map((f) => `${f.line}:${f.column}`), ['6:10']);
    assert.deepEqual(runRule(llmKey, 'cm.yaml', cm).map((f) => f.line), [7]);
    // A Secret is where a key belongs (no llm-key finding), but a template value there is still a template.
    const secret = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: pg\ntype: Opaque\nstringData:\n  POSTGRES_PASSWORD: changePassword\n  OPENAI_API_KEY: sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb3dEf6h\ndata:\n  JWT_SECRET: ${Buffer.from('changeme').toString('base64')}\n  TLS_KEY: ${Buffer.from([0xff, 0x00, 0x10]).toString('base64')}\n  BROKEN: "not base64!"\n`;
    assert.deepEqual(runRule(defaultSecret, 'secret.yaml', secret).map((f) => `${f.line} ${f.message}`), ['7 POSTGRES_PASSWORD is a known template or default value', '10 JWT_SECRET is a known template or default value']);
    assert.deepEqual(runRule(llmKey, 'secret.yaml', secret), []);
    assert.deepEqual(runRule(literalSecret, 'secret.yaml', secret), []);
  });
});
