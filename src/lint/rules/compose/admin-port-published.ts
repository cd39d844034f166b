import type { PortSpec } from '../../document.js';
import { isPublicPort, parseImage, portList } from '../../rule-helpers.js';
import { fmt, severityRank, type Report, type Rule, type Severity } from '../../types.js';

/** Ports that are a debugger, a profiler or a job API whatever the image: each is code execution or memory access. */
const ANY_IMAGE: ReadonlyMap<number, { readonly what: string; readonly severity: Severity }> = new Map([
  [9229, { what: 'the Node.js inspector (remote code execution)', severity: 'critical' }],
  [6060, { what: 'Go pprof profiling', severity: 'high' }],
  [8265, { what: 'the Ray dashboard and job API (remote code execution)', severity: 'critical' }],
]);

/** Admin, metrics and notebook ports of images that serve them there. */
const BY_IMAGE: ReadonlyArray<{ readonly re: RegExp; readonly ports: readonly number[]; readonly what: string; readonly severity: Severity }> = [
  { re: /(?:^|\/)caddy(?:$|[-/])/, ports: [2019], what: 'the Caddy admin API', severity: 'high' },
  { re: /(?:^|\/)kong(?:$|[-/])/, ports: [8001, 8444], what: 'the Kong admin API', severity: 'high' },
  { re: /(?:^|\/)traefik(?:$|[-/])/, ports: [8080], what: 'the Traefik API and dashboard', severity: 'high' },
  { re: /(?:^|\/)rabbitmq(?:$|[-/])/, ports: [15672], what: 'the RabbitMQ management UI', severity: 'high' },
  { re: /(?:^|\/)portainer(?:-ce|-ee)?(?:$|[-/])/, ports: [9000, 9443], what: 'Portainer (the Docker API behind a login)', severity: 'high' },
  { re: /(?:^|\/)(?:jupyter|[a-z-]*-notebook|jupyterlab)(?:$|[-/])|(?:^|\/)jupyter\//, ports: [8888], what: 'a Jupyter server (code execution)', severity: 'critical' },
  { re: /(?:^|\/)prometheus(?:$|[-/])/, ports: [9090], what: 'Prometheus (metrics and targets)', severity: 'medium' },
  { re: /(?:^|\/)(?:node-exporter|cadvisor)(?:$|[-/])/, ports: [9100, 8080], what: 'host metrics', severity: 'medium' },
  { re: /(?:^|\/)flower(?:$|[-/])|mher\/flower/, ports: [5555], what: 'the Celery Flower UI', severity: 'high' },
];

/** Settings that name a metrics/debug/admin listener's port (`METRICS_PORT=9464`, `DEBUG_PORT=5005`). */
const PORT_KEY = /^(?:[A-Z0-9]+_)?(?:METRICS|PROMETHEUS|PPROF|DEBUG|DEBUGGER|PROFILER|INSPECT|JMX|HEALTH_ADMIN)_PORT$/;

/** A single published port's debug/admin role, by the image first; ranges name nothing. */
function classify(p: PortSpec, repo: string | undefined, metricPorts: ReadonlySet<number>): { what: string; severity: Severity } | undefined {
  if (p.containerPorts.length !== 1) return undefined;
  const c = p.containerPorts[0] as number;
  if (repo !== undefined) for (const b of BY_IMAGE) if (b.re.test(repo) && b.ports.includes(c)) return { what: b.what, severity: b.severity };
  const any = ANY_IMAGE.get(c);
  if (any) return any;
  if (metricPorts.has(c)) return { what: 'a metrics or debug listener', severity: 'medium' };
  return undefined;
}

export const rule: Rule = {
  meta: {
    id: 'compose/admin-port-published',
    severity: 'high',
    title: 'debugger, profiler, admin or metrics port published',
    rationale:
      'Debug and admin listeners are made for the operator on the host: the Node.js inspector (9229) and the Ray job API (8265) run arbitrary code, pprof (6060) reads process memory, Jupyter (8888) is a shell, the Caddy, Kong and Traefik admin APIs rewrite routing, and metrics endpoints map the internals an attacker probes next. Published on all interfaces, each is one connection away. Ports are judged by the image that serves them, and by the service\'s own METRICS_PORT/DEBUG_PORT settings.',
    remediation: 'Do not publish the port (scrape metrics over the compose network), or bind it to 127.0.0.1 (`127.0.0.1:9229:9229`) and reach it through SSH; drop `--inspect=0.0.0.0` from production commands.',
    refs: ['https://nodejs.org/en/learn/getting-started/security-best-practices#debug-port-cwe-489', 'https://docs.ray.io/en/latest/ray-security/index.html', 'https://caddyserver.com/docs/api', 'https://cwe.mitre.org/data/definitions/489.html'],
    formats: ['compose'],
    supersedes: ['compose/port-all-interfaces'],
    messages: { published: 'service {service} publishes {what} on {ports}' },
  },
  check(doc) {
    if (doc.format !== 'compose') return [];
    const out: Report[] = [];
    for (const svc of doc.services) {
      const image = svc.image?.value ?? svc.image?.raw;
      const repo = image !== undefined ? parseImage(image).repo : undefined;
      const metricPorts = new Set([...svc.environment, ...svc.flags].filter((s) => PORT_KEY.test(s.name) && /^\d+$/.test(s.value ?? '')).map((s) => Number(s.value)));
      const hits = svc.ports.filter(isPublicPort).flatMap((p) => {
        const c = classify(p, repo, metricPorts);
        return c ? [{ p, ...c }] : [];
      });
      const first = hits[0];
      if (!first) continue;
      // One finding per service at its first such port, as severe as the worst of them.
      const severity = hits.reduce<Severity>((w, h) => (severityRank(h.severity) > severityRank(w) ? h.severity : w), first.severity);
      out.push({ message: fmt(this.meta.messages.published, { service: svc.name, what: [...new Set(hits.map((h) => h.what))].join(', '), ports: portList(hits.map((h) => h.p)) }), at: first.p.at, key: `${svc.name}:admin`, covers: hits.map((h) => h.p.at.line), severity });
    }
    return out;
  },
};
