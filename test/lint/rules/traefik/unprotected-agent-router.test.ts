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
    {
      name: 'name@file resolved in the Traefik dynamic file mounted into Traefik (forwardAuth and rateLimit there)',
      file: 'compose.yaml',
      text: 'services:\n  traefik:\n    image: traefik:v3.2\n    volumes:\n      - ./dyn:/etc/traefik/dynamic:ro\n  webui:\n    image: ghcr.io/open-webui/open-webui:0.6.5\n    labels:\n      - traefik.http.routers.webui.middlewares=gate@file\n',
      extra: { 'dyn/middlewares.yml': 'http:\n  middlewares:\n    gate:\n      chain:\n        middlewares:\n          - sso\n          - slow\n    sso:\n      forwardAuth:\n        address: http://auth:8000/verify\n    slow:\n      rateLimit:\n        average: 10\n' },
    },
    {
      name: 'a dynamic file using a middleware its sibling file defines (one file provider directory)',
      file: 'traefik/dynamic/routers.yml',
      text: 'http:\n  routers:\n    tools:\n      rule: PathPrefix(`/mcp`)\n      service: tools\n      middlewares:\n        - guard\n',
      extra: { 'traefik/dynamic/middlewares.toml': '[http.middlewares.guard.chain]\n  middlewares = ["pw", "rl"]\n[http.middlewares.pw.basicAuth]\n  users = ["a:$apr1$x"]\n[http.middlewares.rl.rateLimit]\n  average = 5\n' },
    },
    { name: 'redirect router', file: 'compose.yaml', text: svc('      - traefik.http.routers.webui-http.middlewares=redirect-to-https@file\n') },
  ],
  invalid: [
    { name: 'no middlewares (map labels)', file: 'compose.yaml', text: 'services:\n  ollama:\n    image: ollama/ollama:0.5.7\n    labels:\n      traefik.http.routers.ollama.rule: Host(`o.example.com`)\n', at: ['5:41'], message: 'an auth middleware or a rate limit' },
    { name: 'strip prefix only', file: 'compose.yaml', text: svc('      - traefik.http.routers.webui.rule=Host(`a.example.com`)\n      - traefik.http.routers.webui.middlewares=strip@docker\n      - traefik.http.middlewares.strip.stripprefix.prefixes=/x\n'), at: [5] },
    { name: 'auth from another file, no rate limit', file: 'compose.yaml', text: svc('      - traefik.http.routers.mcp.rule=Host(`m.example.com`) && PathPrefix(`/mcp`)\n      - traefik.http.routers.mcp.middlewares=mcp-auth@file\n', 'ghcr.io/acme/tool:1'), at: [5], message: 'without a rate limit' },
    {
      name: 'name@file whose name says auth but whose definition only sets headers',
      file: 'compose.yaml',
      text: svc('      - traefik.http.routers.webui.rule=Host(`a.example.com`)\n      - traefik.http.routers.webui.middlewares=mcp-auth@file,rl@docker\n      - traefik.http.middlewares.rl.ratelimit.average=10\n'),
      extra: { 'traefik/dynamic/middlewares.yml': 'http:\n  middlewares:\n    mcp-auth:\n      headers:\n        customRequestHeaders:\n          X-Auth: "yes"\n' },
      at: [5],
      message: 'auth',
    },
    {
      name: 'name@docker is looked up in the labels, not in a file of the same name',
      file: 'compose.yaml',
      text: svc('      - traefik.http.routers.webui.rule=Host(`a.example.com`)\n      - traefik.http.routers.webui.middlewares=gate@docker\n      - traefik.http.middlewares.gate.stripprefix.prefixes=/x\n'),
      extra: { 'traefik/dynamic/middlewares.yml': 'http:\n  middlewares:\n    gate:\n      basicAuth:\n        users:\n          - "a:$apr1$x"\n    other:\n      rateLimit:\n        average: 5\n' },
      at: [5],
    },
    { name: 'dynamic file router to an MCP path', file: 'dynamic.yml', text: 'http:\n  routers:\n    tools:\n      rule: PathPrefix(`/mcp`)\n      service: tools\n', at: ['4:13'] },
  ],
});
