/**
 * What one HTTP surface of `agentsec serve` (forward auth, the app API, the decision API, health and metrics) gets
 * from the server, and what it gives back. The listener owns sockets, limits, timeouts, logging and metrics; an
 * endpoint only maps a request to service calls and their results to a status and a body.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Runtime } from '../services/runtime.js';
import type { Store } from '../store/store.js';

/** What the listener already knows about a request when an endpoint sees it. */
export interface RequestInfo {
  /** The request URL (path and query), parsed once. */
  readonly url: URL;
  /** The connecting address, canonical. */
  readonly peerIp: string;
  /** The client address: the peer, or read from X-Forwarded-For when the peer is a trusted proxy. */
  readonly clientIp: string;
  /** True when the request came over the Unix socket. */
  readonly viaSocket: boolean;
  /** Server clock at arrival, ms since the epoch. */
  readonly startedAt: number;
  /** A short id, in the access log line and in the `X-Request-Id` reply header. */
  readonly requestId: string;
}

/** Structured log lines (JSON on stderr). Never pass a secret, a token or a key in `fields`. */
export interface ServerLog {
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}

/** Counters for /metrics. Names are Prometheus names without the `agentsec_` prefix; label values are never secrets. */
export interface ServerMetrics {
  inc(name: string, labels?: Readonly<Record<string, string>>, by?: number): void;
}

/** What every endpoint is built from. */
export interface EndpointDeps {
  readonly rt: Runtime;
  /** The server's long-lived store (opened once at start, serving mode). */
  readonly store: Store;
  readonly log: ServerLog;
  readonly metrics: ServerMetrics;
}

export interface Endpoint {
  /** A name for logs and metrics (`auth`, `api`, `decisions`, `health`). */
  readonly name: string;
  /** True when this endpoint serves the path. The listener asks each endpoint in turn; none means 404. */
  matches(pathname: string): boolean;
  /**
   * Answers the request. It must always end the response; a thrown error becomes a 500 (503 for a store error) with
   * a one-line JSON body, logged without the request's headers.
   */
  handle(req: IncomingMessage, res: ServerResponse, info: RequestInfo): Promise<void>;
  /** Called on SIGHUP after a good config reload, and when the store's change feed fires (drop caches). */
  invalidate?(): void;
  /** Called once at shutdown, after in-flight requests have drained. */
  close?(): Promise<void>;
}
