/**
 * The `agentsec serve` listener: node:http (node:https with TLS 1.3 at least) on TCP addresses and a Unix socket,
 * with header and request timeouts, a header size limit, keep-alive and a connection cap; the client address read
 * behind trusted proxies; a request id on every reply; endpoints mounted from a list; SIGHUP-style reloads that keep
 * the running config when the new one is refused; and a drain of in-flight requests on shutdown.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { AgentsecError, ExitCode } from '../core/errors.js';
import { clientAddress } from '../core/net/index.js';
import type { ServeSettings } from '../core/serve/settings.js';
import { openDecider, type Decider } from '../services/decide.js';
import type { Runtime } from '../services/runtime.js';
import type { Store } from '../store/store.js';
import { appApiEndpoint } from './app-api/endpoint.js';
import { authEndpoint } from './auth-endpoint.js';
import { decisionsEndpoint } from './decisions/endpoint.js';
import type { Endpoint, EndpointDeps, RequestInfo, ServerLog } from './endpoint.js';
import { healthEndpoint } from './health-endpoint.js';
import { jsonLog } from './log.js';
import { Metrics } from './metrics.js';
import type { EndpointFactory, ServeShared } from './mount.js';
import { clearStaleSocket, secureSocket } from './socket.js';

export interface ServeOptions {
  /** The runtime (its config() the config file in force) and the settings compiled from it; at start and each reload. */
  readonly loadSettings: () => Promise<{ rt: Runtime; settings: ServeSettings }>;
  /** Where log lines go (stderr). */
  readonly write: (line: string) => void;
  /** Surfaces besides /auth, /healthz and /metrics (the app API, the decision API). */
  readonly endpoints?: readonly EndpointFactory[];
  /** Tests: wraps the store the server opens (to make it fail). */
  readonly wrapStore?: (store: Store) => Store;
  /** How long a drain waits for in-flight requests before cutting connections (default 10 s). */
  readonly drainMs?: number;
}

export interface RunningServer {
  /** Where it listens: `http://127.0.0.1:8787`, `https://…`, `unix:/run/agentsec.sock`. */
  readonly urls: readonly string[];
  readonly metrics: Metrics;
  /** Reads the config again; false (and the old config still running, logged) when it is refused. */
  reload(): Promise<boolean>;
  /** Stops accepting, waits for in-flight requests, closes the store. */
  shutdown(): Promise<void>;
  /** Settles when the server has shut down. */
  readonly closed: Promise<void>;
}

/** The surfaces every serve mounts: forward auth, health and metrics, the app API, the CrowdSec decision API. */
export const BUILTIN_ENDPOINTS = (metrics: Metrics): readonly EndpointFactory[] => [authEndpoint, healthEndpoint(metrics), appApiEndpoint, decisionsEndpoint];

const isStoreError = (err: unknown): boolean => {
  const code = (err as { code?: unknown })?.code;
  return (typeof code === 'string' && code.startsWith('SQLITE_')) || (err instanceof AgentsecError && err.exitCode === ExitCode.Runtime);
};

function tlsOptions(tls: NonNullable<ServeSettings['tls']>): https.ServerOptions {
  try {
    return { cert: readFileSync(tls.cert), key: readFileSync(tls.key), minVersion: 'TLSv1.3' };
  } catch (err) {
    throw new AgentsecError(`config serve.tls: cannot read ${(err as { path?: string }).path ?? 'the certificate or key'}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, ExitCode.Usage);
  }
}

function applyLimits(server: http.Server, s: ServeSettings): void {
  server.headersTimeout = s.headersTimeoutMs;
  server.requestTimeout = s.requestTimeoutMs;
  server.keepAliveTimeout = s.keepAliveTimeoutMs;
  server.maxConnections = s.maxConnections;
}

const sameListen = (a: ServeSettings, b: ServeSettings): boolean =>
  JSON.stringify([a.listen, a.socket, a.socketGroup, a.tls !== undefined, a.maxHeaderSize]) === JSON.stringify([b.listen, b.socket, b.socketGroup, b.tls !== undefined, b.maxHeaderSize]);

/**
 * What an endpoint learns of a request, with the URL parsed only when asked: WHATWG URL parsing costs more than a
 * whole cached forward-auth decision. A class, not an object literal with a getter: a literal whose getter is a fresh
 * closure gets a hidden class of its own on every request, which measured at less than half the request rate.
 */
class LazyRequestInfo implements RequestInfo {
  private parsed: URL | undefined;
  constructor(
    private readonly target: string,
    readonly peerIp: string,
    readonly clientIp: string,
    readonly viaSocket: boolean,
    readonly startedAt: number,
    readonly requestId: string,
  ) {}
  get url(): URL {
    return (this.parsed ??= new URL(this.target, 'http://agentsec.invalid'));
  }
}

export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const log: ServerLog = jsonLog(opts.write);
  let { rt, settings } = await opts.loadSettings();
  const tls = settings.tls ? tlsOptions(settings.tls) : undefined;
  const opened = await rt.store({ serving: true });
  const store = opts.wrapStore ? opts.wrapStore(opened) : opened;
  const metrics = new Metrics();
  const onTrouble = (event: string, err: unknown) => log.error(event, { error: err instanceof Error ? err.message : String(err) });
  let decider: Decider;
  try {
    decider = await openDecider({ rt, store, settings: () => settings, onTrouble });
  } catch (err) {
    await opened.close();
    throw err;
  }
  const shared: ServeShared = { decider: () => decider, settings: () => settings };
  const deps: EndpointDeps = { rt, store, log, metrics };
  const endpoints: Endpoint[] = [];
  for (const f of [...BUILTIN_ENDPOINTS(metrics), ...(opts.endpoints ?? [])]) endpoints.push(await f(deps, shared));
  metrics.gauge('blocks_indexed', 'Blocks held in the in-memory block index.', () => decider.activeBlocks());
  metrics.gauge('rate_limit_buckets', 'Rate-limit buckets held, per limit.', () => decider.buckets());
  metrics.gauge('in_flight_requests', 'Requests being answered.', () => inFlight);
  metrics.gauge('open_connections', 'Connections open now, over every listener.', () => openConnections);
  const unsubscribe = store.changes.subscribe(() => {
    for (const e of endpoints) e.invalidate?.();
  });

  let inFlight = 0;
  let openConnections = 0;
  let draining = false;
  let drained: (() => void) | null = null;
  let seq = 0;
  const idPrefix = randomBytes(4).toString('hex');

  // The client address of the same peer and X-Forwarded-For is the same until the trusted proxies change: a proxy in
  // front sends the same few pairs again and again. Bounded, and emptied on reload.
  let clientMemo = new Map<string, ReturnType<typeof clientAddress>>();
  let memoOf = settings;
  const clientOf = (peer: string, xff: string | undefined): ReturnType<typeof clientAddress> => {
    if (memoOf !== settings) {
      clientMemo = new Map();
      memoOf = settings;
    }
    const k = xff === undefined ? peer : `${peer}|${xff}`;
    let c = clientMemo.get(k);
    if (c === undefined) {
      c = clientAddress(peer, xff, settings.trustedProxies);
      if (clientMemo.size >= 10_000) clientMemo.clear();
      clientMemo.set(k, c);
    }
    return c;
  };

  const handler = (viaSocket: boolean) => (req: http.IncomingMessage, res: http.ServerResponse) => {
    const t0 = performance.now();
    inFlight++;
    const requestId = `${idPrefix}-${(++seq).toString(36)}`;
    res.setHeader('X-Request-Id', requestId);
    if (draining) res.setHeader('Connection', 'close');
    let endpointName = 'none';
    res.on('close', () => {
      inFlight--;
      const seconds = (performance.now() - t0) / 1000;
      metrics.observe(seconds);
      metrics.inc('requests_total', { endpoint: endpointName, status: String(res.statusCode) });
      if (res.statusCode >= 400 && res.statusCode !== 401 && res.statusCode !== 403 && res.statusCode !== 429) {
        log.warn('request', { requestId, method: req.method, path: (req.url ?? '').split('?')[0]?.slice(0, 256), status: res.statusCode, ms: Math.round(seconds * 1e4) / 10 });
      }
      if (draining && inFlight === 0) drained?.();
    });
    const fail = (status: number, reason: string) => {
      if (!res.headersSent) res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      res.end(JSON.stringify({ status, reason }));
    };
    const target = req.url ?? '/';
    const q = target.indexOf('?');
    const pathname = q === -1 ? target : target.slice(0, q);
    if (!pathname.startsWith('/')) {
      fail(400, 'bad-request-target');
      return;
    }
    const peer = viaSocket ? '127.0.0.1' : (req.socket.remoteAddress ?? '');
    const xff = req.headers['x-forwarded-for'];
    const client = clientOf(peer, Array.isArray(xff) ? xff.join(', ') : xff);
    if (!client.ok) {
      fail(400, client.reason);
      return;
    }
    const endpoint = endpoints.find((e) => e.matches(pathname));
    if (!endpoint) {
      fail(404, 'no-such-endpoint');
      return;
    }
    endpointName = endpoint.name;
    const info = new LazyRequestInfo(target, peer, client.ip, viaSocket, Date.now(), requestId);
    endpoint.handle(req, res, info).catch((err: unknown) => {
      const store = isStoreError(err);
      if (store) metrics.inc('store_errors_total');
      // Logged without the request's headers: they may hold a credential.
      log.error('endpoint-failed', { requestId, endpoint: endpoint.name, error: err instanceof Error ? err.message : String(err) });
      fail(store ? 503 : 500, store ? 'store-unavailable' : 'internal-error');
    });
  };

  const servers: Array<{ server: http.Server; url: string }> = [];
  // Node looks for expired headers and request timeouts every `connectionsCheckingInterval` (30 s by default),
  // which would let a slow client hold a connection for half a minute whatever the configured timeout.
  const checkEvery = Math.max(100, Math.min(1000, Math.floor(settings.headersTimeoutMs / 4)));
  const common: http.ServerOptions = { maxHeaderSize: settings.maxHeaderSize, keepAlive: true, requestTimeout: settings.requestTimeoutMs, headersTimeout: settings.headersTimeoutMs, connectionsCheckingInterval: checkEvery };
  const listenOne = (server: http.Server, target: { host: string; port: number } | { path: string }): Promise<void> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      const done = () => {
        server.off('error', reject);
        resolve();
      };
      if ('path' in target) server.listen(target.path, done);
      else server.listen(target.port, target.host, done);
    });
  const dress = (server: http.Server) => {
    applyLimits(server, settings);
    server.on('drop', () => metrics.inc('connections_refused_total'));
    server.on('connection', (socket) => {
      metrics.inc('connections_total');
      openConnections++;
      socket.once('close', () => openConnections--);
    });
    // A client that sends garbage gets a status and a closed connection; the process stays up and says so once.
    server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
      const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
      metrics.inc('requests_total', { endpoint: 'none', status: String(status) });
      if (socket.writable && !socket.destroyed) socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      else socket.destroy();
    });
    server.on('error', (err) => log.error('listener-error', { error: err.message }));
  };
  try {
    for (const addr of settings.listen) {
      const server = tls ? https.createServer({ ...common, ...tls }, handler(false)) : http.createServer(common, handler(false));
      dress(server);
      await listenOne(server, addr);
      const a = server.address() as AddressInfo;
      servers.push({ server, url: `${tls ? 'https' : 'http'}://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}` });
    }
    if (settings.socket !== undefined) {
      const path = settings.socket;
      clearStaleSocket(path);
      const server = http.createServer(common, handler(true));
      dress(server);
      // Bound under a 0177 umask, so the socket is never reachable by others before its mode is set.
      const old = process.umask(0o177);
      try {
        await listenOne(server, { path });
      } finally {
        process.umask(old);
      }
      secureSocket(path, settings.socketGroup);
      servers.push({ server, url: `unix:${path}` });
    }
  } catch (err) {
    for (const s of servers) s.server.close();
    unsubscribe();
    await decider.close();
    await opened.close();
    const e = err as NodeJS.ErrnoException & { address?: string; port?: number };
    if (err instanceof AgentsecError) throw err;
    throw new AgentsecError(`cannot listen on ${e.address ?? ''}${e.port !== undefined ? `:${e.port}` : ''}: ${e.code ?? e.message}${e.code === 'EADDRINUSE' ? ' (another process holds it: stop it or pick another --listen)' : ''}`, ExitCode.Runtime);
  }
  log.info('listening', { urls: servers.map((s) => s.url), routes: settings.routes.length, rateLimits: settings.rateLimits.length });

  let closedResolve: () => void = () => {};
  const closed = new Promise<void>((r) => (closedResolve = r));
  let shuttingDown: Promise<void> | null = null;

  const reload = async (): Promise<boolean> => {
    let next: { rt: Runtime; settings: ServeSettings };
    let nextTls: https.ServerOptions | undefined;
    let nextDecider: Decider;
    try {
      next = await opts.loadSettings();
      nextTls = next.settings.tls ? tlsOptions(next.settings.tls) : undefined;
      const s = next.settings;
      nextDecider = await openDecider({ rt: next.rt, store, settings: () => s, onTrouble });
    } catch (err) {
      log.error('reload-refused', { error: err instanceof Error ? err.message : String(err), kept: 'the running config' });
      return false;
    }
    if (!sameListen(settings, next.settings)) log.warn('reload-listen-unchanged', { message: 'listen addresses, socket, TLS on/off and maxHeaderSize take effect at the next start' });
    const old = decider;
    settings = next.settings;
    rt = next.rt;
    decider = nextDecider;
    for (const s of servers) {
      applyLimits(s.server, settings);
      if (nextTls && s.server instanceof https.Server) s.server.setSecureContext(nextTls);
    }
    for (const e of endpoints) e.invalidate?.();
    await old.close();
    log.info('reloaded', { routes: settings.routes.length, rateLimits: settings.rateLimits.length });
    return true;
  };

  const shutdown = (): Promise<void> => {
    if (shuttingDown) return shuttingDown;
    shuttingDown = (async () => {
      draining = true;
      log.info('draining', { inFlight });
      const allClosed = Promise.all(servers.map((s) => new Promise<void>((r) => s.server.close(() => r()))));
      for (const s of servers) s.server.closeIdleConnections();
      if (inFlight > 0) {
        await new Promise<void>((r) => {
          drained = r;
          setTimeout(r, opts.drainMs ?? 10_000).unref();
        });
      }
      for (const s of servers) s.server.closeAllConnections();
      await allClosed;
      unsubscribe();
      for (const e of endpoints) await e.close?.();
      await decider.close();
      await opened.close();
      log.info('stopped', {});
      closedResolve();
    })();
    return shuttingDown;
  };

  return { urls: servers.map((s) => s.url), metrics, reload, shutdown, closed };
}
