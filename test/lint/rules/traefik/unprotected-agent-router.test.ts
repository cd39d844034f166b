import { rule } from '../../../../src/lint/rules/traefik/unprotected-agent-router.js';
import { ruleTable } from '../../support.js';

const svc = (labels: string, image = 'ghcr.io/open-webui/open-webui:0.6.5'): string => `services:\n  webui:\n    image: ${image}\n    labels:\n${labels}`;

ruleTable(rule, {
  valid: [
    {
      name: 'auth and rate limit defined in labels',
      file: 'compose.yaml',
      text: svc('      - traefik.http.routers.webui.rule=Host(`a.example.com`)\n      - traefik.http.routers.webui.middlewares=sso,rl\n      - traefik.http.middlewares.sso.forwardauth.address=http://auth/verify\n      - traefik.http.middlewares.rl.ratelimit.average=10\n'),
    },
    {
      name: 'through a chain',
      file: 'compose.yaml',
      text: svc('      - traefik.http.routers.webui.middlewares=secure\n      - traefik.http.middlewares.secure.chain.middlewares=sso,rl\n      - traefik.http.middlewares.sso.basicauth.users=a:b\n      - traefik.http.middlewares.rl.ratelimit.average=10\n'),
    },
    { name: 'not an agent', file: 'compose.yaml', text: 'services:\n  blog:\n    image: ghost:5.80\n    labels:\n      - traefik.http.routers.blog.rule=Host(`b.example.com`)\n' },
    { name: 'redirect router', file: 'compose.yaml', text: svc('      - traefik.http.routers.webui-http.middlewares=redirect-to-https@file\n') },
  ],
  invalid: [
    { name: 'no middlewares (map labels)', file: 'compose.yaml', text: 'services:\n  ollama:\n    image: ollama/ollama:0.5.7\n    labels:\n      traefik.http.routers.ollama.rule: Host(`o.example.com`)\n', at: ['5:41'], message: 'an auth middleware or a rate limit' },
    { name: 'strip prefix only', file: 'compose.yaml', text: svc('      - traefik.http.routers.webui.rule=Host(`a.example.com`)\n      - traefik.http.routers.webui.middlewares=strip@docker\n      - traefik.http.middlewares.strip.stripprefix.prefixes=/x\n'), at: [5] },
    { name: 'auth from another file, no rate limit', file: 'compose.yaml', text: svc('      - traefik.http.routers.mcp.rule=Host(`m.example.com`) && PathPrefix(`/mcp`)\n      - traefik.http.routers.mcp.middlewares=mcp-auth@file\n', 'ghcr.io/acme/tool:1'), at: [5], message: 'without a rate limit' },
    { name: 'dynamic file router to an MCP path', file: 'dynamic.yml', text: 'http:\n  routers:\n    tools:\n      rule: PathPrefix(`/mcp`)\n      service: tools\n', at: ['4:13'] },
  ],
});
