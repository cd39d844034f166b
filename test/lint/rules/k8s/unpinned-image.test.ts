import { rule } from '../../../../src/lint/rules/k8s/unpinned-image.js';
import { ruleTable } from '../../support.js';

const pod = (image: string): string => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: a\n      image: ${image}\n`;

ruleTable(rule, {
  valid: [
    { name: 'tag', file: 'pod.yaml', text: pod('ghcr.io/open-webui/open-webui:0.6.5') },
    { name: 'digest', file: 'pod.yaml', text: pod('nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef') },
    { name: 'templated image', file: 'pod.yaml', text: pod('"{{ image }}"') },
    { name: 'registry port without tag is not a tag', file: 'pod.yaml', text: pod('localhost:5000/app:2.0') },
  ],
  invalid: [
    { name: 'latest', file: 'pod.yaml', text: pod('ghcr.io/open-webui/open-webui:latest'), at: ['8:14'] },
    { name: 'untagged', file: 'pod.yaml', text: pod('n8nio/n8n'), at: [8] },
    { name: 'moving main tag', file: 'pod.yaml', text: pod('ghcr.io/ollama-webui/ollama-webui:main'), at: [8] },
  ],
});
