import { rule } from '../../../../src/lint/rules/agent/llm-plain-http.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'https', file: '.env', text: 'OPENAI_BASE_URL=https://api.openai.com/v1\n' },
    { name: 'compose service name', file: 'compose.yaml', text: 'services:\n  ui:\n    environment:\n      - OLLAMA_BASE_URLS=http://ollama:11434\n' },
    { name: 'host.docker.internal', file: '.env', text: 'OLLAMA_BASE_URL="http://host.docker.internal:11434"\n' },
    { name: 'private address', file: '.env', text: 'VLLM_API_BASE=http://10.0.0.12:8000/v1\n' },
  ],
  invalid: [
    { name: 'remote Ollama over http', file: '.env', text: 'OLLAMA_BASE_URL=http://gpu.example.com:11434\n', at: ['1:17'] },
    { name: 'OpenAI-compatible base over http', file: 'compose.yaml', text: 'services:\n  a:\n    environment:\n      OPENAI_API_BASE: http://llm.example.net/v1\n', at: [4] },
  ],
});
