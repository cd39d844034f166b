import { rule } from '../../../../src/lint/rules/agent/llm-key-in-config.js';
import { ruleTable } from '../../support.js';

const KEY = 'sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z';

ruleTable(rule, {
  valid: [
    { name: 'interpolated', file: 'compose.yaml', text: 'services:\n  a:\n    environment:\n      OPENAI_API_KEY: ${OPENAI_API_KEY}\n' },
    { name: 'empty default', file: 'compose.yaml', text: 'services:\n  a:\n    environment:\n      - ANTHROPIC_API_KEY=${ANTHROPIC_API_KEY:-}\n' },
    { name: 'placeholder left to agent/default-secret', file: 'compose.yaml', text: 'services:\n  a:\n    environment:\n      OPENAI_API_KEY: sk-1234\n' },
    { name: 'Dockerfile ARG without a value', file: 'Dockerfile', text: 'FROM node:22\nARG OPENAI_API_KEY\n' },
    { name: 'a .env is not a config (env/committed-secrets covers it)', file: '.env', text: `OPENAI_API_KEY=${KEY}\n` },
  ],
  invalid: [
    { name: 'literal OpenAI key in compose', file: 'compose.yaml', text: `services:\n  a:\n    environment:\n      OPENAI_API_KEY: ${KEY}\n`, at: ['4:23'] },
    { name: 'literal in list form', file: 'compose.yaml', text: `services:\n  a:\n    environment:\n      - GROQ_API_KEY=gsk_abcdefghijklmnopqrstuvwxyz123456\n`, at: [4] },
    { name: 'key-shaped value under another name', file: 'compose.yaml', text: `services:\n  a:\n    environment:\n      MY_PROVIDER: ${KEY}\n`, at: [4], message: 'OpenAI' },
    { name: 'inline default with a real key', file: 'compose.yaml', text: `services:\n  a:\n    environment:\n      OPENAI_API_KEY: \${OPENAI_API_KEY:-${KEY}}\n`, at: [4] },
    { name: 'Dockerfile ENV', file: 'Dockerfile', text: `FROM node:22\nENV ANTHROPIC_API_KEY=sk-ant-api03-abcdefghijklmnopqrstuvwx\n`, at: [2] },
    { name: 'JSON settings', file: 'settings.json', text: `{\n  "auth_enabled": true,\n  "openai_api_key": "${KEY}"\n}\n`, at: [3] },
  ],
});
