import { AGENT_ROUTE, isAgentUpstream } from './agent-targets.js';
import type { CaddyDocument, LintDocument } from './document.js';
import { walkCaddy, type CaddyDirective, type CaddySite, type CaddyToken } from './parse/caddy.js';

export function asCaddy(doc: LintDocument): CaddyDocument | undefined {
  return doc.format === 'caddy' ? doc : undefined;
}

/** Directives that only route (their blocks hold the directives of a sub-tree of requests). */
const ROUTING = new Set(['handle', 'handle_path', 'route', 'handle_errors']);

/** A matcher token: a path (`/api/*`), a named matcher (`@api`) or `*`. */
export function isMatcher(t: CaddyToken | undefined): boolean {
  return t !== undefined && (t.value.startsWith('/') || t.value.startsWith('@') || t.value === '*');
}

/** Every directive of a site, depth first, with the site it belongs to. */
export function siteDirectives(doc: CaddyDocument): Array<{ site: CaddySite; d: CaddyDirective }> {
  const out: Array<{ site: CaddySite; d: CaddyDirective }> = [];
  for (const site of doc.sites) walkCaddy(site.directives, (d) => out.push({ site, d }));
  return out;
}

/** The path a directive applies to: its own path matcher, else the nearest enclosing handle's; `''` for all. */
export function pathOf(d: CaddyDirective): string {
  for (let b: CaddyDirective | undefined = d; b; b = b.parent) {
    const m = b.args[0];
    if ((b === d || ROUTING.has(b.name)) && m !== undefined && m.value.startsWith('/')) return m.value;
  }
  return '';
}

/**
 * Whether one of `names` applies to the requests `d` handles: written at `d`'s level or at an enclosing one (not
 * inside a sibling handle), without a matcher, or with a path matcher covering `d`'s path.
 */
export function inEffect(d: CaddyDirective, site: CaddySite, names: readonly string[]): boolean {
  const path = pathOf(d);
  const covers = (x: CaddyDirective): boolean => {
    const m = x.args[0];
    if (!isMatcher(m) || m?.value === '*') return true;
    if (m?.value.startsWith('@')) return true;
    const prefix = (m?.value ?? '').replace(/\*$/, '');
    return path !== '' && path.startsWith(prefix);
  };
  for (let level: CaddyDirective | undefined = d.parent; ; level = level.parent) {
    const list = level?.block ?? site.directives;
    if (list.some((x) => names.includes(x.name) && covers(x))) return true;
    if (level === undefined || level === site.node) return false;
  }
}

/** The upstreams of a `reverse_proxy` (its arguments after a matcher, and `to` lines of its block). */
export function upstreams(d: CaddyDirective): string[] {
  const args = isMatcher(d.args[0]) ? d.args.slice(1) : d.args;
  const to = (d.block ?? []).filter((x) => x.name === 'to').flatMap((x) => x.args);
  return [...args, ...to].map((t) => t.value);
}

/** What a reverse_proxy reaches, when it is an agent: by upstream (name, port, compose service) or route path. */
export function agentProxy(doc: CaddyDocument, d: CaddyDirective): string | undefined {
  const up = upstreams(d).find((u) => isAgentUpstream(u, doc.agentServices));
  if (up !== undefined) return up;
  const m = AGENT_ROUTE.exec(pathOf(d));
  return m ? `${pathOf(d)} (${(m[1] as string).toLowerCase()} route)` : undefined;
}

/** Every reverse_proxy to an agent that has none of `guards` in effect, with the agent it reaches. */
export function unguardedAgentProxies(doc: CaddyDocument, guards: readonly string[]): Array<{ d: CaddyDirective; target: string }> {
  const out: Array<{ d: CaddyDirective; target: string }> = [];
  for (const { site, d } of siteDirectives(doc)) {
    if (d.name !== 'reverse_proxy') continue;
    const target = agentProxy(doc, d);
    if (target !== undefined && !inEffect(d, site, guards)) out.push({ d, target });
  }
  return out;
}

/** A site address on loopback (`localhost`, `127.0.0.1:8080`, `[::1]`): reachable from this machine only. */
export function loopbackAddress(address: string): boolean {
  const host = address.replace(/^[a-z]+:\/\//i, '').replace(/:\d+$/, '').replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || /^127\./.test(host) || host === '::1';
}
