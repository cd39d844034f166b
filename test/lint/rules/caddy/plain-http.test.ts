import { rule } from '../../../../src/lint/rules/caddy/plain-http.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'a host name: automatic HTTPS', file: 'Caddyfile', text: 'agent.example.com {\n\treverse_proxy agent:8283\n}\n' },
    { name: 'http:// that only redirects', file: 'Caddyfile', text: 'http://agent.example.com {\n\tredir https://{host}{uri} permanent\n}\n' },
    { name: 'loopback, by address or by bind', file: 'Caddyfile', text: 'http://localhost:8080 {\n\treverse_proxy ollama:11434\n}\n:80 {\n\tbind 127.0.0.1\n\treverse_proxy app:3000\n}\n' },
  ],
  invalid: [
    { name: 'http:// in front of an agent (high)', file: 'Caddyfile', text: 'http://agent.example.com {\n\treverse_proxy letta:8283\n}\n', at: ['1:1'], message: 'in front of an agent (letta:8283)' },
    { name: ':80 serving an app, and a brace-less single site', file: 'deploy/Caddyfile', text: ':80\nroot * /srv\nfile_server\n', at: [1] },
    { name: 'one address of several', file: 'Caddyfile.prod', text: 'agent.example.com, http://agent.internal.example.com {\n\treverse_proxy agent:8283\n}\n', at: ['1:20'] },
  ],
});
