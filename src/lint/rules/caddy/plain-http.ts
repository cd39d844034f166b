import { agentProxy, asCaddy, loopbackAddress, siteDirectives } from '../../caddy-helpers.js';
import { fmt, type Report, type Rule } from '../../types.js';

/** A site that answers every request with a redirect (or a fixed response) serves nothing worth protecting. */
const REDIRECT_ONLY = new Set(['redir', 'respond', 'abort', 'error', 'log', 'encode', 'header', 'import', 'tls', 'bind']);

export const rule: Rule = {
  meta: {
    id: 'caddy/plain-http',
    severity: 'high',
    title: 'Caddy site served over plain HTTP',
    rationale:
      'Caddy serves HTTPS automatically for a site named by its host; an address written `http://…` or on port 80 opts that site out, so the agent UI, its API keys, session cookies and prompts cross the network in clear text. Loopback addresses and sites that only redirect are not reported; a site that proxies nothing an agent serves is medium.',
    remediation: 'Name the site by its host name (`agent.example.com { … }`) and let Caddy obtain the certificate, or give it a `tls` certificate; keep `http://` only for a site that does `redir https://{host}{uri} permanent`.',
    refs: ['https://caddyserver.com/docs/automatic-https', 'https://caddyserver.com/docs/caddyfile/concepts#addresses', 'https://cwe.mitre.org/data/definitions/319.html'],
    formats: ['caddy'],
    messages: { plain: 'site {address} is served over plain HTTP{what}' },
  },
  check(doc) {
    const d = asCaddy(doc);
    if (!d) return [];
    const out: Report[] = [];
    const all = siteDirectives(d);
    for (const site of d.sites) {
      const plain = site.addresses.filter((a) => (/^http:\/\//i.test(a.value) || /(?:^|:)80$/.test(a.value.replace(/\/.*$/, ''))) && !loopbackAddress(a.value));
      if (plain.length === 0) continue;
      const own = all.filter((x) => x.site === site);
      if (own.every((x) => REDIRECT_ONLY.has(x.d.name))) continue;
      // `bind 127.0.0.1`: the site listens on loopback only, whatever its address says.
      const binds = site.directives.filter((x) => x.name === 'bind').flatMap((x) => x.args.map((a) => a.value));
      if (binds.length > 0 && binds.every((b) => loopbackAddress(b))) continue;
      const agent = own.map((x) => (x.d.name === 'reverse_proxy' ? agentProxy(d, x.d) : undefined)).find((x) => x !== undefined);
      for (const a of plain) out.push({ message: fmt(this.meta.messages.plain, { address: a.value, what: agent ? `, in front of an agent (${agent})` : '' }), at: a.at, key: a.value, ...(agent ? {} : { severity: 'medium' as const }) });
    }
    return out;
  },
};
