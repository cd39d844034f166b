/**
 * `/healthz` (the store answers, the audit signing key is there, the decider is not failing closed) and `/metrics`
 * (Prometheus text). Both only for loopback, the Unix socket and the networks of `serve.metricsAllow`: they say how
 * many requests were refused and why, which is worth something to an attacker.
 */
import { anyCidrContains, parseIp } from '../core/net/index.js';
import { openAuditLog } from '../services/audit.js';
import type { Endpoint, EndpointDeps } from './endpoint.js';
import type { Metrics } from './metrics.js';
import type { ServeShared } from './mount.js';

export function healthEndpoint(metrics: Metrics) {
  return (deps: EndpointDeps, shared: ServeShared): Endpoint => ({
    name: 'health',
    matches: (p) => p === '/healthz' || p === '/metrics',
    async handle(req, res, info) {
      res.setHeader('Cache-Control', 'no-store');
      const ip = parseIp(info.clientIp);
      if (!info.viaSocket && (!ip || !anyCidrContains(shared.settings().metricsAllow, ip))) {
        res.writeHead(403, { 'Content-Type': 'application/json' }).end('{"status":403,"reason":"not-allowed-from-this-network"}');
        return;
      }
      if (info.url.pathname === '/metrics') {
        res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' }).end(metrics.render());
        return;
      }
      const checks: Record<string, string> = {};
      try {
        await deps.store.schemaVersion();
        checks['store'] = 'ok';
      } catch (err) {
        checks['store'] = 'unreachable';
        deps.log.error('health-store-unreachable', { error: err instanceof Error ? err.message : String(err) });
      }
      try {
        const state = await (await openAuditLog(deps.rt, deps.store)).signingKeyState();
        checks['auditKey'] = state === undefined ? 'not-initialised' : state.ok ? 'ok' : state.reason;
      } catch {
        checks['auditKey'] = 'unreadable';
      }
      checks['decisions'] = shared.decider().healthy() ? 'ok' : 'failing-closed';
      const ok = Object.values(checks).every((v) => v === 'ok');
      res.writeHead(ok ? 200 : 503, { 'Content-Type': 'application/json' }).end(JSON.stringify({ status: ok ? 'ok' : 'unhealthy', checks }));
      void req;
    },
  });
}
