/**
 * The `serve:` section compiled into what the server runs with: parsed addresses, networks, routes and rate limits,
 * and the defaults filled in. Pure; `compileServeSettings` never throws for a section that passed the schema, and
 * returns one message for anything the schema cannot see (a port out of range).
 */
import type { ServeSection } from '../config/serve.js';
import { parseDuration } from '../duration.js';
import { parseCidr, type Cidr } from '../net/cidr.js';
import { LOOPBACK_CIDRS } from '../net/forwarded.js';
import { parseRate, type RateSpec } from './rate-limit.js';
import { compileRoutes, parseRoute, type Parsed, type RouteRule } from './routes.js';

export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

export interface RateLimitRule {
  readonly name: string;
  readonly route: Pick<RouteRule, 'methods' | 'segments' | 'tail'> | undefined;
  readonly per: 'ip' | 'key' | 'subject';
  readonly spec: RateSpec;
}

export interface ServeSettings {
  readonly listen: readonly ListenAddress[];
  readonly socket: string | undefined;
  readonly socketGroup: string | undefined;
  /** Loopback and the configured proxies. */
  readonly trustedProxies: readonly Cidr[];
  /** Who may read /healthz and /metrics: loopback and the configured networks (and the Unix socket). */
  readonly metricsAllow: readonly Cidr[];
  readonly tls: { readonly cert: string; readonly key: string } | undefined;
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  readonly maxHeaderSize: number;
  readonly maxConnections: number;
  readonly maxBuckets: number;
  readonly routes: readonly RouteRule[];
  readonly rateLimits: readonly RateLimitRule[];
  readonly audit: { readonly intervalMs: number; readonly maxDenials: number; readonly sampleAllowed: number };
}

export const DEFAULT_LISTEN: ListenAddress = { host: '127.0.0.1', port: 8787 };

/** Parses `127.0.0.1:8787`, `[::1]:8787`, `localhost:8787`. */
export function parseListen(text: string): Parsed<ListenAddress> {
  const m = /^(\[([0-9A-Fa-f:.]+)\]|([0-9.]+|localhost)):(\d{1,5})$/.exec(text);
  const port = m ? Number(m[4]) : NaN;
  if (!m || port > 65535) return { ok: false, message: `listen address '${text.slice(0, 80)}': write ADDR:PORT (127.0.0.1:8787, [::1]:8787), port 0-65535` };
  const host = (m[2] ?? m[3]) as string;
  if (host !== 'localhost' && !parseCidr(host).ok) return { ok: false, message: `listen address '${text.slice(0, 80)}': ${host} is not an IP address` };
  return { ok: true, value: { host, port } };
}

function cidrs(list: readonly string[] | undefined): Cidr[] {
  const out: Cidr[] = [];
  for (const t of list ?? []) {
    const p = parseCidr(t);
    if (p.ok) out.push(p.cidr);
  }
  return out;
}

const ms = (text: string | undefined, what: string, dflt: number): number => (text === undefined ? dflt : parseDuration(text, `config serve.${what}`));

/** Compiles the section; `listenOverride` (the --listen flags) replaces `listen`, `socketOverride` `socket`. */
export function compileServeSettings(section: ServeSection | undefined, over: { listen?: readonly string[]; socket?: string } = {}): Parsed<ServeSettings> {
  const s = section ?? {};
  const listenText = over.listen && over.listen.length > 0 ? over.listen : s.listen;
  const listen: ListenAddress[] = [];
  for (const t of listenText ?? []) {
    const p = parseListen(t);
    if (!p.ok) return p;
    listen.push(p.value);
  }
  const socket = over.socket ?? s.socket;
  if (listen.length === 0 && socket === undefined) listen.push(DEFAULT_LISTEN);
  const routes = compileRoutes(s.routes ?? []);
  if (!routes.ok) return { ok: false, message: `config serve.${routes.message}` };
  const rateLimits: RateLimitRule[] = [];
  for (const [i, r] of (s.rateLimits ?? []).entries()) {
    const spec = parseRate(r.rate, r.burst);
    if (!spec) return { ok: false, message: `config serve.rateLimits[${i}].rate: expected COUNT/UNIT such as 5/m` };
    let route: RateLimitRule['route'];
    if (r.route !== undefined) {
      const p = parseRoute(r.route);
      if (!p.ok) return { ok: false, message: `config serve.rateLimits[${i}]: ${p.message}` };
      route = p.value;
    }
    rateLimits.push({ name: r.name ?? `limit-${i}`, route, per: r.per, spec });
  }
  const l = s.limits ?? {};
  const a = s.audit ?? {};
  try {
    const headersTimeoutMs = ms(l.headersTimeout, 'limits.headersTimeout', 10_000);
    const requestTimeoutMs = ms(l.requestTimeout, 'limits.requestTimeout', 30_000);
    // Node refuses a headers timeout above the request timeout; say so here rather than fail at listen time.
    if (requestTimeoutMs > 0 && headersTimeoutMs > requestTimeoutMs) return { ok: false, message: 'config serve.limits.headersTimeout must not exceed serve.limits.requestTimeout' };
    const intervalMs = ms(a.interval, 'audit.interval', 300_000);
    if (intervalMs < 1000) return { ok: false, message: 'config serve.audit.interval must be at least 1s' };
    return {
      ok: true,
      value: {
        listen,
        socket,
        socketGroup: s.socketGroup,
        trustedProxies: [...LOOPBACK_CIDRS, ...cidrs(s.trustedProxies)],
        metricsAllow: [...LOOPBACK_CIDRS, ...cidrs(s.metricsAllow)],
        tls: s.tls,
        headersTimeoutMs,
        requestTimeoutMs,
        keepAliveTimeoutMs: ms(l.keepAliveTimeout, 'limits.keepAliveTimeout', 65_000),
        maxHeaderSize: l.maxHeaderSize ?? 16_384,
        maxConnections: l.maxConnections ?? 20_000,
        maxBuckets: l.maxBuckets ?? 100_000,
        routes: routes.value,
        rateLimits,
        audit: { intervalMs, maxDenials: a.maxDenials ?? 100, sampleAllowed: a.sampleAllowed ?? 0 },
      },
    };
  } catch (err) {
    return { ok: false, message: err instanceof Error ? err.message : String(err) };
  }
}
