/**
 * Forward auth: `/auth` for nginx `auth_request`, Traefik `forwardAuth`, Caddy `forward_auth`, and Envoy/Istio
 * `ext_authz` in HTTP mode (which sends the original method and path under the `/auth` prefix). The original request
 * is read from the proxy's headers; the answer is 200 with identity headers, 401 with WWW-Authenticate, 403, 429 with
 * Retry-After, or 503 when the store cannot be read (fail closed).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Decision } from '../services/decide.js';
import type { Endpoint, EndpointDeps, RequestInfo } from './endpoint.js';
import type { ServeShared } from './mount.js';

const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

/**
 * A header value made safe to send back: a JWT `sub` is the client's text, and a CR, LF or non-ASCII byte in a reply
 * header would either throw or, in a proxy that copies it, split a header.
 */
export function headerSafe(v: string): string {
  return /^[\x20-\x7e]*$/.test(v) ? v : v.replace(/[^\x20-\x7e]/gu, (c) => encodeURIComponent(c));
}

/** The original request as the proxy describes it. `tail` is the path after `/auth` (ext_authz), if any. */
export function originalRequest(req: IncomingMessage, tail: string | undefined): { method: string; path: string | undefined } {
  const h = req.headers;
  const method = one(h['x-forwarded-method']) ?? one(h['x-original-method']) ?? req.method ?? 'GET';
  const uri = one(h['x-forwarded-uri']) ?? one(h['x-original-uri']) ?? tail;
  return { method, path: uri };
}

/**
 * Replies carry no body: nginx reads only the head of an auth_request subrequest, and can keep the connection to
 * agentsec alive only when there is no body left unread on it (with a body, every subrequest costs a new TCP
 * connection). The reason is in `X-Agentsec-Reason`.
 */
function reply(res: ServerResponse, d: Decision): void {
  res.setHeader('Content-Length', '0');
  if (d.outcome === 'allow') {
    res.setHeader('X-Agentsec-Kind', d.kind);
    if (d.subject !== null) res.setHeader('X-Agentsec-Subject', headerSafe(d.subject));
    if (d.keyId !== null) res.setHeader('X-Agentsec-Key-Id', d.keyId);
    if (d.role !== null) res.setHeader('X-Agentsec-Role', headerSafe(d.role));
    res.setHeader('X-Agentsec-Scopes', headerSafe(d.scopes.join(' ')));
    res.writeHead(200).end();
    return;
  }
  res.setHeader('X-Agentsec-Reason', d.reason);
  if (d.status === 401) res.setHeader('WWW-Authenticate', d.wwwAuthenticate);
  if (d.status === 429) res.setHeader('Retry-After', String(d.retryAfterS));
  res.writeHead(d.status).end();
}

export function authEndpoint(deps: EndpointDeps, shared: ServeShared): Endpoint {
  const { metrics } = deps;
  return {
    name: 'auth',
    matches: (p) => p === '/auth' || p.startsWith('/auth/'),
    async handle(req: IncomingMessage, res: ServerResponse, info: RequestInfo) {
      // The request body is never read: forward auth decides on the head alone (nginx sends none).
      const tail = req.url !== undefined && req.url.length > 5 && req.url.startsWith('/auth/') ? req.url.slice(5) : undefined;
      const orig = originalRequest(req, tail);
      let d: Decision;
      if (orig.path === undefined) {
        // Without the original URI no route rule can be applied: refuse rather than judge the request as `/`.
        d = { outcome: 'deny', status: 403, reason: 'missing-original-uri' };
      } else {
        d = await shared.decider().decide({
          clientIp: info.clientIp,
          method: orig.method,
          path: orig.path,
          host: one(req.headers['x-forwarded-host']) ?? one(req.headers.host),
          proto: one(req.headers['x-forwarded-proto']),
          authorization: one(req.headers.authorization),
          apiKey: one(req.headers['x-api-key']),
        });
      }
      metrics.inc('decisions_total', { outcome: d.outcome, reason: d.outcome === 'allow' ? d.kind : d.reason });
      if (d.outcome === 'limited') metrics.inc('rate_limited_total', { limit: d.limit });
      if (d.outcome === 'unavailable') {
        metrics.inc('store_errors_total');
        deps.log.error('auth-unavailable', { requestId: info.requestId, reason: d.reason });
      }
      reply(res, d);
    },
  };
}
