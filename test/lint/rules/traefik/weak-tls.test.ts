import { rule } from '../../../../src/lint/rules/traefik/weak-tls.js';
import { ruleTable } from '../../support.js';

const REDIRECT = 'entryPoints:\n  web:\n    address: ":80"\n    http:\n      redirections:\n        entryPoint:\n          to: websecure\n';

ruleTable(rule, {
  valid: [
    { name: 'redirecting web entry point', file: 'traefik.yml', text: REDIRECT },
    { name: 'TLS 1.2 minimum', file: 'dynamic.yml', text: 'tls:\n  options:\n    default:\n      minVersion: VersionTLS12\nhttp:\n  routers: {}\n' },
    { name: 'catch-all redirect router in labels', file: 'compose.yaml', text: 'services:\n  traefik:\n    image: traefik:v3.2\n    command:\n      - --entrypoints.web.address=:80\n    labels:\n      - traefik.http.middlewares.to-https.redirectscheme.scheme=https\n      - traefik.http.routers.catchall.entrypoints=web\n      - traefik.http.routers.catchall.middlewares=to-https\n' },
  ],
  invalid: [
    { name: 'TLS 1.0', file: 'dynamic.yml', text: 'tls:\n  options:\n    default:\n      minVersion: VersionTLS10\nhttp:\n  routers: {}\n', at: ['4:19'] },
    { name: 'TLS 1.2 under strict', file: 'dynamic.yml', text: 'tls:\n  options:\n    default:\n      minVersion: VersionTLS12\nhttp:\n  routers: {}\n', profile: 'strict', at: [4] },
    { name: 'plain web entry point', file: 'traefik.yml', text: 'entryPoints:\n  web:\n    address: ":80"\n', at: ['3:14'], message: 'without a redirect' },
  ],
});
