import { routers, traefikModel, middlewareKinds } from '../../traefik-model.js';
import { fmt, type Report, type Rule } from '../../types.js';

const RANK: Record<string, number> = { versiontls10: 10, versiontls11: 11, versiontls12: 12, versiontls13: 13 };

export const rule: Rule = {
  meta: {
    id: 'traefik/weak-tls',
    severity: 'medium',
    title: 'Traefik allows old TLS or serves plain HTTP without a redirect',
    rationale: 'TLS options with minVersion VersionTLS10/11 accept broken protocol versions (RFC 8996); an HTTP entry point that neither redirects to HTTPS nor is otherwise protected serves the agent UI, its cookies and tokens in clear text. The strict profile requires TLS 1.3.',
    remediation: 'Set `tls.options.default.minVersion: VersionTLS12` (strict: VersionTLS13) and redirect the web entry point: `entryPoints.web.http.redirections.entryPoint.to: websecure`.',
    refs: ['https://doc.traefik.io/traefik/https/tls/#minimum-tls-version', 'https://doc.traefik.io/traefik/routing/entrypoints/#redirection'],
    formats: ['traefik', 'compose'],
    messages: { version: 'TLS option {option} allows {version}', redirect: 'entry point {entry} ({address}) serves plain HTTP without a redirect to HTTPS' },
  },
  check(doc, ctx) {
    const m = traefikModel(doc);
    if (!m) return [];
    const out: Report[] = [];
    const min = ctx.profile.minTls === '1.3' ? 13 : 12;
    for (const e of m.entries) {
      const t = /^tls\.options\.([^.]+)\.minversion$/.exec(e.key);
      if (!t) continue;
      const r = RANK[e.value.trim().toLowerCase()];
      if (r !== undefined && r < min) out.push({ message: fmt(this.meta.messages.version, { option: t[1] as string, version: e.value }), at: e.at, key: `v:${t[1]}` });
    }
    const rs = routers(m);
    for (const e of m.entries) {
      const ep = /^entrypoints\.([^.]+)\.address$/.exec(e.key);
      if (!ep || !/:80$/.test(e.value.trim())) continue;
      const name = ep[1] as string;
      if (m.under(`entrypoints.${name}.http.redirections`).length > 0) continue;
      // A catch-all router on this entry point with a redirectScheme middleware redirects just as well.
      if (rs.some((r) => r.entryPoints.map((x) => x.toLowerCase()).includes(name) && r.middlewares.some((x) => middlewareKinds(m, x).has('redirect')))) continue;
      out.push({ message: fmt(this.meta.messages.redirect, { entry: name, address: e.value }), at: e.at, key: `r:${name}` });
    }
    return out;
  },
};
