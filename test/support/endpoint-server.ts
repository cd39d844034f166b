/**
 * What the serve listener does for an endpoint, in miniature, for tests: a node:http server on loopback that parses
 * the URL, builds the RequestInfo, asks each endpoint in turn, and turns a thrown error into a one-line JSON 500 (503
 * for a store error). The endpoints run on a real runtime and store of the home.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AgentsecError, ExitCode } from '../../src/core/errors.js';
import type { Endpoint, EndpointDeps, ServerLog, ServerMetrics } from '../../src/server/endpoint.js';
import { createRuntime, type Runtime } from '../../src/services/runtime.js';
import type { Store } from '../../src/store/store.js';

export interface LogLine {
  readonly level: string;
  readonly event: string;
  readonly fields?: Record<string, unknown> | undefined;
}

export interface TestServer {
  readonly url: string;
  readonly rt: Runtime;
  readonly store: Store;
  readonly logs: LogLine[];
  readonly counters: Map<string, number>;
  /** Everything the endpoints logged and counted, as one text (to check that no secret is in it). */
  observed(): string;
  /** What the listener does on a good reload and on the store's change feed. */
  invalidate(): void;
  close(): Promise<void>;
}

export interface TestServerOptions {
  readonly home: string;
  readonly clock?: () => Date;
  /** Builds the endpoints on the deps (e.g. `(d) => decisionsEndpoint(d)`). */
  readonly endpoints: ReadonlyArray<(deps: EndpointDeps) => Promise<Endpoint>>;
  /** Also listen on this Unix socket (reachable from a network namespace, which loopback is not). */
  readonly socket?: string;
}

export async function startEndpoints(opts: TestServerOptions): Promise<TestServer> {
  const rt = createRuntime({ resolvedHome: opts.home, env: {}, cwd: process.cwd(), clock: opts.clock });
  const store = await rt.store();
  const logs: LogLine[] = [];
  const counters = new Map<string, number>();
  const log: ServerLog = {
    info: (event, fields) => void logs.push({ level: 'info', event, fields }),
    warn: (event, fields) => void logs.push({ level: 'warn', event, fields }),
    error: (event, fields) => void logs.push({ level: 'error', event, fields }),
  };
  const metrics: ServerMetrics = {
    inc(name, labels = {}, by = 1) {
      const key = `${name}${JSON.stringify(labels)}`;
      counters.set(key, (counters.get(key) ?? 0) + by);
    },
  };
  const deps: EndpointDeps = { rt, store, log, metrics };
  const endpoints: Endpoint[] = [];
  for (const make of opts.endpoints) endpoints.push(await make(deps));
  let n = 0;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://agentsec.invalid');
    const peer = req.socket.remoteAddress ?? '';
    const info = { url, peerIp: peer, clientIp: peer, viaSocket: false, startedAt: Date.now(), requestId: `t${++n}` };
    const ep = endpoints.find((e) => e.matches(url.pathname));
    if (!ep) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
      return;
    }
    ep.handle(req, res, info).catch((err: unknown) => {
      const store = err instanceof AgentsecError && err.exitCode === ExitCode.Runtime && /store/.test(err.message);
      log.error('handler failed', { endpoint: ep.name, message: err instanceof Error ? err.message.split('\n')[0] : String(err) });
      if (!res.headersSent) res.writeHead(store ? 503 : 500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: store ? 'store unavailable' : 'internal error' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const onSocket = opts.socket === undefined ? undefined : createServer((req, res) => server.emit('request', req, res));
  if (onSocket && opts.socket !== undefined) {
    const path = opts.socket;
    await new Promise<void>((resolve) => onSocket.listen(path, resolve));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    rt,
    store,
    logs,
    counters,
    observed: () => JSON.stringify({ logs, counters: [...counters] }),
    invalidate: () => {
      for (const e of endpoints) e.invalidate?.();
    },
    async close() {
      for (const srv of onSocket ? [server, onSocket] : [server]) {
        srv.closeAllConnections();
        await new Promise<void>((resolve) => srv.close(() => resolve()));
      }
      for (const e of endpoints) await e.close?.();
      await store.close();
    },
  };
}
