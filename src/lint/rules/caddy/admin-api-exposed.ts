import { asCaddy, loopbackAddress } from '../../caddy-helpers.js';
import { fmt, type Report, type Rule } from '../../types.js';

export const rule: Rule = {
  meta: {
    id: 'caddy/admin-api-exposed',
    severity: 'high',
    title: 'Caddy admin API listening beyond loopback',
    rationale:
      'Caddy\'s admin API (`localhost:2019` by default) changes the running configuration with no authentication: whoever reaches it can add a route that proxies anywhere, serve files from the disk, or switch TLS off. The global `admin` option moved to `:2019` or `0.0.0.0:2019` (often to let a container health check reach it) opens it to the network, and to every other container.',
    remediation: 'Keep `admin localhost:2019` (the default) or a Unix socket (`admin unix//run/caddy-admin.sock`), or turn it off (`admin off`); health-check with a site route instead.',
    refs: ['https://caddyserver.com/docs/caddyfile/options#admin', 'https://caddyserver.com/docs/api', 'https://cwe.mitre.org/data/definitions/306.html'],
    formats: ['caddy'],
    messages: { exposed: 'global option admin {address} exposes the unauthenticated admin API' },
  },
  check(doc) {
    const d = asCaddy(doc);
    if (!d) return [];
    const out: Report[] = [];
    for (const g of d.global) {
      if (g.name !== 'admin') continue;
      const address = g.args[0]?.value;
      if (address === undefined || address === 'off' || address.startsWith('unix/') || address.includes('{') || loopbackAddress(address)) continue;
      out.push({ message: fmt(this.meta.messages.exposed, { address }), at: g.args[0]?.at ?? g.at, key: 'admin' });
    }
    return out;
  },
};
