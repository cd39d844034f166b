/**
 * The app API under `/api/v1/`, for agent servers that do not speak Node: verify an API key, a JWT or a TOTP code,
 * record a failure, check an IP, append an audit event. `POST` with a JSON body; an app token in
 * `Authorization: Bearer`, its scope checked per call. Results carry the fields of the matching CLI command's
 * `--json`; a negative verdict is still 200 (the verdict is in the body, as the CLI's is on stdout).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AgentsecError, ExitCode } from '../../core/errors.js';
import { authenticate, credentialsOn } from '../../services/serve-credentials.js';
import type { Endpoint, EndpointDeps, RequestInfo } from '../endpoint.js';
import { BodyError, readJsonBody } from './body.js';
import { appApiDeps, describeIssue, InputError, OPERATIONS, reloadPolicies } from './operations.js';

const PREFIX = '/api/v1/';
const MAX_TOKEN_LENGTH = 128;

function send(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store', ...extra });
  res.end(text);
}

function fail(res: ServerResponse, status: number, error: string, message: string, extra: Record<string, string> = {}): void {
  send(res, status, { error, message }, extra);
}

function bearer(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  if (h === undefined || h.length > MAX_TOKEN_LENGTH + 7) return undefined;
  const m = /^Bearer ([^\s]+)$/i.exec(h);
  return m?.[1];
}

/** The app API endpoint on the server's store. */
export async function appApiEndpoint(deps: EndpointDeps): Promise<Endpoint> {
  const creds = await credentialsOn(deps.rt, deps.store);
  const d = await appApiDeps(deps.rt, deps.store);
  const count = (op: string, outcome: string) => deps.metrics.inc('app_api_requests_total', { operation: op, outcome });
  // Policies come from config.yaml: re-read before the next request after an invalidation (a good reload; the store's
  // change feed calls it too, for one config read per change). A config that no longer loads keeps the running ones.
  let stale = false;
  let reloading: Promise<void> | undefined;
  const fresh = async (): Promise<void> => {
    if (stale && !reloading) {
      stale = false;
      reloading = reloadPolicies(d, deps.rt)
        .catch((err: unknown) => deps.log.warn('app api config reload failed; the running policies stay', { message: err instanceof Error ? err.message.split('\n')[0] : String(err) }))
        .finally(() => (reloading = undefined));
    }
    await reloading;
  };
  return {
    name: 'api',
    matches: (pathname) => pathname.startsWith(PREFIX),
    async handle(req: IncomingMessage, res: ServerResponse, info: RequestInfo): Promise<void> {
      const path = info.url.pathname.slice(PREFIX.length);
      // Own properties only: `constructor`, `__proto__` and friends are no operation.
      const op = Object.hasOwn(OPERATIONS, path) ? OPERATIONS[path] : undefined;
      if (!op) {
        count('unknown', 'not-found');
        return fail(res, 404, 'not_found', `no app API operation ${JSON.stringify(info.url.pathname.slice(0, 80))}: see the app API reference`);
      }
      if (req.method !== 'POST') {
        count(path, 'method');
        return fail(res, 405, 'method_not_allowed', 'use POST with a JSON body', { allow: 'POST' });
      }
      const token = bearer(req);
      const app = token === undefined ? undefined : await authenticate(creds, 'app', token);
      if (!app) {
        count(path, 'unauthenticated');
        return fail(res, 401, 'unauthorized', 'send an app token as Authorization: Bearer (agentsec serve token create)', { 'www-authenticate': 'Bearer realm="agentsec"' });
      }
      if (!app.scopes.includes(op.scope)) {
        count(path, 'forbidden');
        return fail(res, 403, 'forbidden', `the app token ${app.name} lacks the scope ${op.scope}`);
      }
      let body: unknown;
      try {
        body = await readJsonBody(req);
      } catch (err) {
        if (!(err instanceof BodyError)) throw err;
        count(path, `body-${err.status}`);
        // A body cut short leaves bytes on the connection: close it rather than read them.
        return fail(res, err.status, err.status === 413 ? 'too_large' : err.status === 415 ? 'unsupported_media_type' : 'bad_request', err.message, err.status === 413 ? { connection: 'close' } : {});
      }
      const parsed = op.schema.safeParse(body);
      if (!parsed.success) {
        count(path, 'bad-request');
        return fail(res, 400, 'bad_request', describeIssue(parsed.error));
      }
      try {
        await fresh();
        const result = await op.run(d, parsed.data as never, { tokenName: app.name });
        count(path, 'ok');
        return send(res, 200, { schemaVersion: 1, ...result });
      } catch (err) {
        if (err instanceof InputError || (err instanceof AgentsecError && err.exitCode === ExitCode.Usage)) {
          count(path, 'bad-request');
          return fail(res, 400, 'bad_request', (err as Error).message.split('\n')[0] ?? 'invalid request');
        }
        if (err instanceof AgentsecError && err.exitCode === ExitCode.Runtime) {
          // Fail closed: a store the server cannot read answers nothing but 503.
          count(path, 'unavailable');
          deps.log.error('app api store error', { operation: path, message: err.message.split('\n')[0] });
          return fail(res, 503, 'unavailable', 'the agentsec store is unavailable; retry');
        }
        throw err;
      }
    },
    invalidate() {
      stale = true;
    },
    close() {
      creds.hmacKey.fill(0);
      d.forget();
      return Promise.resolve();
    },
  };
}
