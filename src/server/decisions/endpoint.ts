/**
 * The CrowdSec-compatible decision API, so the CrowdSec bouncers people already run (firewall, nginx, Traefik,
 * custom) enforce agentsec's blocks unmodified: `GET /v1/decisions` and `GET /v1/decisions/stream`, authenticated by
 * a bouncer key in `X-Api-Key`, answered in CrowdSec 1.4's JSON (see services/decisions.ts for the semantics).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseScopes } from '../../core/decisions/decision.js';
import { AgentsecError, ExitCode } from '../../core/errors.js';
import { pullStream, queryDecisions, type DecisionQuery } from '../../services/decisions.js';
import { authenticate, credentialsOn } from '../../services/serve-credentials.js';
import type { Endpoint, EndpointDeps, RequestInfo } from '../endpoint.js';

const QUERY_PATH = '/v1/decisions';
const STREAM_PATH = '/v1/decisions/stream';
/** Longer than any key agentsec issues: a bigger header is refused before any hashing. */
const MAX_KEY_LENGTH = 128;

/** gin's JSON, byte for byte where bouncers look: `application/json; charset=utf-8`, no compression. */
function sendJson(res: ServerResponse, status: number, body: unknown, head: boolean): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(head ? undefined : text);
}

function single(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? undefined : v;
}

function queryOf(params: URLSearchParams): DecisionQuery {
  const get = (k: string) => params.get(k) ?? undefined;
  const contains = params.get('contains');
  return { ip: get('ip'), range: get('range'), scope: get('scope'), value: get('value'), type: get('type'), contains: contains === null ? undefined : contains !== 'false' };
}

/** The decision API endpoint on the server's store; derives the serve-credentials subkey once, forgotten at close. */
export async function decisionsEndpoint(deps: EndpointDeps): Promise<Endpoint> {
  const creds = await credentialsOn(deps.rt, deps.store);
  const d = { store: deps.store, clock: deps.rt.clock };
  const count = (route: string, outcome: string) => deps.metrics.inc('decision_api_requests_total', { route, outcome });
  return {
    name: 'decisions',
    matches: (pathname) => pathname === QUERY_PATH || pathname === STREAM_PATH,
    async handle(req: IncomingMessage, res: ServerResponse, info: RequestInfo): Promise<void> {
      const route = info.url.pathname === STREAM_PATH ? 'stream' : 'query';
      const head = req.method === 'HEAD';
      if (req.method !== 'GET' && !head) {
        res.setHeader('allow', 'GET, HEAD');
        count(route, 'method');
        return sendJson(res, 405, { message: 'method not allowed' }, false);
      }
      // One answer for a missing, malformed, unknown or deleted key, as CrowdSec gives: nothing to tell them apart.
      const key = single(req, 'x-api-key');
      const bouncer = key !== undefined && key.length <= MAX_KEY_LENGTH ? await authenticate(creds, 'bouncer', key) : undefined;
      if (!bouncer) {
        count(route, 'forbidden');
        return sendJson(res, 403, { message: 'access forbidden' }, head);
      }
      const params = info.url.searchParams;
      if (route === 'stream') {
        const answer = await pullStream(d, bouncer.id, { startup: params.get('startup') === 'true', scopes: parseScopes(params.get('scopes')) });
        count(route, 'ok');
        // Go's map order: "deleted" before "new".
        return sendJson(res, 200, { deleted: answer.deleted, new: answer.new }, head);
      }
      try {
        const found = await queryDecisions(d, queryOf(params));
        count(route, found.length > 0 ? 'match' : 'none');
        return sendJson(res, 200, found.length > 0 ? found : null, head);
      } catch (err) {
        if (err instanceof AgentsecError && err.exitCode === ExitCode.Usage) {
          count(route, 'bad-request');
          return sendJson(res, 400, { message: err.message }, head);
        }
        throw err;
      }
    },
    close() {
      creds.hmacKey.fill(0);
      return Promise.resolve();
    },
  };
}
