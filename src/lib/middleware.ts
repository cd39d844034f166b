/**
 * agentsec's request decision as Node middleware, for an app that imports the library instead of running
 * `agentsec serve` in front of it: the same decision function (blocked address, credential, route permission, rate
 * limit, public routes), the same `serve:` section of config.yaml, the same audit policy. Works with node:http and
 * with Express-style `(req, res, next)` frameworks.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { usageError } from '../core/errors.js';
import { clientAddress } from '../core/net/index.js';
import type { ServeSettings } from '../core/serve/settings.js';
import type { Decision } from '../core/serve/decision.js';
import type { Decider } from '../services/decide.js';
import type { Store } from '../store/store.js';
import { libraryRuntime } from './runtime.js';

export interface ProtectOptions {
  /** The agentsec home; default $AGENTSEC_HOME, else $XDG_DATA_HOME/agentsec. */
  readonly home?: string | undefined;
}

/** What an allowed request carries as `req.agentsec`. */
export type AgentsecIdentity = Extract<Decision, { outcome: 'allow' }>;

export interface ProtectMiddleware {
  (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void): void;
  /** Writes the pending audit entries and closes the store (graceful shutdown, tests). */
  close(): Promise<void>;
}

interface Opened {
  readonly store: Store;
  readonly decider: Decider;
  readonly settings: ServeSettings;
}

async function open(home: string | undefined): Promise<Opened> {
  const rt = libraryRuntime(home);
  const { compileServeSettings } = await import('../core/serve/settings.js');
  const s = compileServeSettings((await rt.config()).serve);
  if (!s.ok) throw usageError(s.message);
  const settings = s.value;
  const store = await rt.store({ serving: true });
  try {
    const { openDecider } = await import('../services/decide.js');
    return { store, settings, decider: await openDecider({ rt, store, settings: () => settings }) };
  } catch (err) {
    await store.close();
    throw err;
  }
}

function refuse(res: ServerResponse, d: Exclude<Decision, { outcome: 'allow' }>): void {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', 'X-Agentsec-Reason': d.reason };
  if (d.status === 401) headers['WWW-Authenticate'] = d.wwwAuthenticate;
  if (d.status === 429) headers['Retry-After'] = String(d.retryAfterS);
  res.writeHead(d.status, headers).end(JSON.stringify({ status: d.status, reason: d.reason }));
}

const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v.join(', ') : v);

/**
 * Middleware that decides each request before the app sees it. Allowed requests get `req.agentsec` (kind, subject,
 * key id, role, scopes) and go on to `next()`; the others are answered here (401 with WWW-Authenticate, 403, 429 with
 * Retry-After, 503 when the store cannot be read). The store and caches open on the first request, once.
 */
export function protect(opts: ProtectOptions = {}): ProtectMiddleware {
  let opened: Promise<Opened> | undefined;
  const mw = ((req, res, next) => {
    opened ??= open(opts.home);
    opened
      .then(async (o) => {
        const client = clientAddress(req.socket.remoteAddress ?? '', one(req.headers['x-forwarded-for']), o.settings.trustedProxies);
        if (!client.ok) {
          res.writeHead(400, { 'Content-Type': 'application/json' }).end(JSON.stringify({ status: 400, reason: client.reason }));
          return;
        }
        const d = await o.decider.decide({
          clientIp: client.ip,
          method: req.method ?? 'GET',
          path: req.url ?? '/',
          host: one(req.headers.host),
          authorization: one(req.headers.authorization),
          apiKey: one(req.headers['x-api-key']),
        });
        if (d.outcome !== 'allow') return refuse(res, d);
        (req as IncomingMessage & { agentsec?: AgentsecIdentity }).agentsec = d;
        next();
      })
      .catch(next);
  }) as ProtectMiddleware;
  mw.close = async () => {
    if (!opened) return;
    const o = await opened.catch(() => undefined);
    if (!o) return;
    await o.decider.close();
    await o.store.close();
  };
  return mw;
}
