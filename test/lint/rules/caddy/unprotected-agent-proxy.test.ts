import { rule } from '../../../../src/lint/rules/caddy/unprotected-agent-proxy.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'forward_auth in front', file: 'Caddyfile', text: 'agent.example.com {\n\tforward_auth authelia:9091 {\n\t\turi /api/authz/forward-auth\n\t}\n\treverse_proxy agent:8283\n}\n' },
    { name: 'basic_auth through an imported snippet', file: 'Caddyfile', text: '(auth) {\n\tbasic_auth {\n\t\tadmin $2a$14$Zk\n\t}\n}\nollama.example.com {\n\timport auth\n\treverse_proxy ollama:11434\n}\n' },
    { name: 'not an agent', file: 'Caddyfile', text: 'www.example.com {\n\treverse_proxy web:3000\n}\n' },
    { name: 'cross-file: basic_auth in an imported file', file: 'Caddyfile', text: 'agent.example.com {\n\timport snippets/*.caddy\n\treverse_proxy agent:8283\n}\n', extra: { 'snippets/auth.caddy': 'basic_auth {\n\tadmin $2a$14$Zk\n}\n' } },
  ],
  invalid: [
    { name: 'an agent upstream', file: 'Caddyfile', text: 'agent.example.com {\n\treverse_proxy agent:8283\n}\n', at: ['2:2'], message: 'reverse_proxy to agent:8283 has no basic_auth or forward_auth' },
    { name: 'auth for another path only', file: 'Caddyfile', text: 'example.com {\n\tbasic_auth /admin/* {\n\t\tadmin $2a$14$Zk\n\t}\n\treverse_proxy /mcp/* mcp-server:8000\n}\n', at: [5] },
    { name: 'an upstream list in a block', file: 'Caddyfile', text: 'llm.example.com {\n\treverse_proxy {\n\t\tto ollama-1:11434 ollama-2:11434\n\t\tlb_policy least_conn\n\t}\n}\n', at: [2] },
  ],
});
