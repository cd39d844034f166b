import type { NginxDocument } from '../../document.js';
import { allDirectives, asNginx, effective, inContext, levels, locationPath, zonesOf } from '../../nginx-helpers.js';
import type { NgDirective } from '../../parse/nginx.js';
import { AGENT_ROUTE, isAgentUpstream } from '../../agent-targets.js';
import { fmt, type Report, type Rule } from '../../types.js';

/** Rates and bursts this large limit nothing a client could send an agent (`rate=20000r/s burst=20000`). */
const MAX_RATE_PER_SECOND = 1000;
const MAX_BURST = 1000;
const MAX_CONN = 1000;

/** `10r/s`, `600r/m` → requests a second. */
function perSecond(rate: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)r\/([sm])$/.exec(rate);
  return m ? Number(m[1]) / (m[2] === 'm' ? 60 : 1) : undefined;
}

function arg(d: NgDirective, name: string): string | undefined {
  return d.args.find((a) => a.value.startsWith(`${name}=`))?.value.slice(name.length + 1);
}

/** The `host:port` targets a location proxies to: its proxy_pass (through `set $var` and `upstream` blocks). */
function targets(doc: NginxDocument, loc: NgDirective): string[] {
  // proxy_pass is not inherited: the location's own (or one in an `if` inside it).
  const pass = (loc.block ?? []).flatMap((d) => (d.name === 'if' ? (d.block ?? []) : [d])).find((d) => d.name === 'proxy_pass' || d.name === 'grpc_pass');
  let target = pass?.args[0]?.value;
  if (target === undefined || pass?.args[0]?.placeholder) return [];
  // `set $api_target "http://letta-server:8283"; proxy_pass $api_target;` (Letta's stock nginx.conf).
  const v = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(target.replace(/^[a-z]+:\/\//i, ''));
  if (v) target = levels(doc, loc).flatMap((list) => list.filter((s) => s.name === 'set' && s.args[0]?.value === `$${v[1]}`))[0]?.args[1]?.value ?? target;
  const hostPort = target.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split(/[/?#$]/)[0] ?? '';
  const upstream = allDirectives(doc).find((d) => d.name === 'upstream' && d.args[0]?.value === hostPort && d.block);
  if (upstream) return (upstream.block ?? []).filter((d) => d.name === 'server').map((d) => d.args[0]?.value ?? '');
  return [hostPort];
}

/** What agent a location proxies to, by the upstream's name, its distinctive port, or the compose service behind it. */
function agentTarget(doc: NginxDocument, loc: NgDirective): string | undefined {
  return targets(doc, loc).find((t) => isAgentUpstream(t, doc.agentServices));
}

/** Why the limits in effect limit nothing, or undefined when one of them is a real limit. */
function noRealLimit(doc: NginxDocument, loc: NgDirective): string | undefined {
  const req = effective(doc, loc, 'limit_req');
  const conn = effective(doc, loc, 'limit_conn');
  if (req.length === 0 && conn.length === 0) return 'has no limit_req or limit_conn';
  const own = zonesOf(doc.directives);
  const defined = (zone: string): boolean => own.has(zone) || doc.nearbyZones?.().has(zone) === true;
  const zoneDefs = new Map<string, NgDirective>();
  for (const d of allDirectives(doc)) if (d.name === 'limit_req_zone') for (const a of d.args) if (a.value.startsWith('zone=')) zoneDefs.set(a.value.slice(5).split(':')[0] as string, d);
  const reasons: string[] = [];
  for (const d of req) {
    const zone = arg(d, 'zone');
    if (zone === undefined || d.args.some((a) => a.placeholder)) return undefined;
    if (!defined(zone)) {
      reasons.push(`limits through zone ${zone}, which no limit_req_zone defines (nginx refuses the configuration)`);
      continue;
    }
    const rate = zoneDefs.get(zone) ? perSecond(arg(zoneDefs.get(zone) as NgDirective, 'rate') ?? '') : undefined;
    const burst = Number(arg(d, 'burst') ?? '0');
    if (rate !== undefined && rate >= MAX_RATE_PER_SECOND) reasons.push(`allows ${arg(zoneDefs.get(zone) as NgDirective, 'rate')} through zone ${zone}: no limit`);
    else if (burst >= MAX_BURST) reasons.push(`lets a burst of ${burst} through zone ${zone}: no limit`);
    else return undefined;
  }
  for (const d of conn) {
    const zone = d.args[0]?.value;
    const n = Number(d.args[1]?.value ?? 'NaN');
    if (zone === undefined || d.args.some((a) => a.placeholder)) return undefined;
    if (!defined(zone)) reasons.push(`limits connections through zone ${zone}, which no limit_conn_zone defines (nginx refuses the configuration)`);
    else if (n >= MAX_CONN) reasons.push(`allows ${n} connections per key: no limit`);
    else return undefined;
  }
  return reasons[0];
}

export const rule: Rule = {
  meta: {
    id: 'nginx/no-rate-limit',
    severity: 'medium',
    title: 'agent or auth route without a rate limit',
    rationale:
      'Every request to an agent API, MCP or A2A route can cost an LLM call, and login/token routes are where passwords and keys are guessed. Without limit_req or limit_conn (on the location, or inherited from the server or http level) one client can run up the bill, brute-force credentials or hold every WebSocket slot. Routes are judged by their path (`/api`, `/v1`, `/mcp`, `/a2a`, `/message`, `/sse`, `/ws`, auth routes) and, whatever the path (a catch-all `location /`), by what they proxy to: an upstream named for an agent, a distinctive agent port, or a compose service of the project running one. A limit that limits nothing counts as none: a zone no `limit_req_zone` defines, or rates and bursts of a thousand and more.',
    remediation: 'Define `limit_req_zone $binary_remote_addr zone=api:10m rate=10r/s;` in http and add `limit_req zone=api burst=20 nodelay;` (and `limit_conn` for WebSocket routes) to the location, the server or the http block.',
    refs: ['https://nginx.org/en/docs/http/ngx_http_limit_req_module.html', 'https://nginx.org/en/docs/http/ngx_http_limit_conn_module.html', 'https://owasp.org/API-Security/editions/2023/en/0xa4-unrestricted-resource-consumption/'],
    formats: ['nginx'],
    messages: { none: 'location {path} ({route} route) {why}', proxied: 'location {path} proxies to an agent ({target}) and {why}' },
  },
  check(doc) {
    const d = asNginx(doc);
    if (!d) return [];
    const out: Report[] = [];
    for (const loc of allDirectives(d)) {
      if (loc.name !== 'location' || !loc.block || inContext(loc, 'stream')) continue;
      const { path } = locationPath(loc);
      const m = AGENT_ROUTE.exec(path.replace(/\\\./g, '.'));
      const target = m ? undefined : agentTarget(d, loc);
      if (!m && target === undefined) continue;
      const body = loc.block;
      if (body.some((x) => x.name === 'internal' || (x.name === 'deny' && x.args[0]?.value === 'all') || x.name === 'return')) continue;
      const why = noRealLimit(d, loc);
      if (why === undefined) continue;
      const message = m ? fmt(this.meta.messages.none, { path, route: (m[1] as string).toLowerCase(), why }) : fmt(this.meta.messages.proxied, { path, target: target ?? '', why });
      out.push({ message, at: loc.at, key: path });
    }
    return out;
  },
};
