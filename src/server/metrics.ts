/**
 * /metrics in the Prometheus text format (version 0.0.4), written by hand: counters with labels, one latency
 * histogram and gauges read at scrape time. prom-client would bring a registry, default process metrics and a
 * dependency for what fits in this file; the exposition format is small and stable.
 */
import type { ServerMetrics } from './endpoint.js';

/** Latency buckets in seconds: forward auth is answered in well under a millisecond when cached. */
const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

const HELP: Readonly<Record<string, string>> = {
  decisions_total: 'Forward-auth and app decisions, by outcome and reason.',
  requests_total: 'HTTP requests answered, by endpoint and status.',
  rate_limited_total: 'Requests refused by a rate limit, by limit.',
  store_errors_total: 'Store errors that failed a request closed (503).',
  connections_total: 'Connections accepted (a proxy that keeps them alive opens few).',
  connections_refused_total: 'Connections refused because a listener was at its connection limit.',
};

const escape = (v: string): string => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const labelText = (labels: Readonly<Record<string, string>> | undefined): string => {
  if (!labels) return '';
  const keys = Object.keys(labels).sort();
  return keys.length === 0 ? '' : `{${keys.map((k) => `${k}="${escape(labels[k] as string)}"`).join(',')}}`;
};

/** Series kept per counter at most: label values come from a fixed set, but a bug must not grow memory. */
const MAX_SERIES = 1000;

export class Metrics implements ServerMetrics {
  private readonly counters = new Map<string, Map<string, number>>();
  private readonly hist = { counts: new Array<number>(BUCKETS.length).fill(0), sum: 0, count: 0 };
  private readonly gauges = new Map<string, { help: string; read: () => number | Record<string, number> }>();

  // On the hot path: the label text (sorted, escaped) is built once per distinct set of label values, found again
  // by the values joined as they come (callers of one counter always pass the same label names).
  private readonly keys = new Map<string, string>();

  inc(name: string, labels?: Readonly<Record<string, string>>, by = 1): void {
    let series = this.counters.get(name);
    if (!series) this.counters.set(name, (series = new Map()));
    let key = '';
    if (labels) {
      let fast = name;
      for (const k in labels) fast += `\u0000${k}\u0001${labels[k]}`;
      let text = this.keys.get(fast);
      if (text === undefined) {
        text = labelText(labels);
        if (this.keys.size < MAX_SERIES * 16) this.keys.set(fast, text);
      }
      key = text;
    }
    const prev = series.get(key);
    if (prev === undefined && series.size >= MAX_SERIES) return;
    series.set(key, (prev ?? 0) + by);
  }

  /** One request's latency, in seconds. */
  observe(seconds: number): void {
    this.hist.sum += seconds;
    this.hist.count++;
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= (BUCKETS[i] as number)) this.hist.counts[i] = (this.hist.counts[i] as number) + 1;
  }

  /** A value read at each scrape; a record gives one series per key under the label `name`. */
  gauge(name: string, help: string, read: () => number | Record<string, number>): void {
    this.gauges.set(name, { help, read });
  }

  /** The current value of a counter series (tests). */
  value(name: string, labels?: Readonly<Record<string, string>>): number {
    return this.counters.get(name)?.get(labelText(labels)) ?? 0;
  }

  render(): string {
    const out: string[] = [];
    for (const [name, series] of [...this.counters].sort(([a], [b]) => (a < b ? -1 : 1))) {
      out.push(`# HELP agentsec_${name} ${HELP[name] ?? name.replace(/_/g, ' ')}`, `# TYPE agentsec_${name} counter`);
      for (const [labels, v] of series) out.push(`agentsec_${name}${labels} ${v}`);
    }
    out.push('# HELP agentsec_request_duration_seconds Time to answer a request, from its arrival to the end of the reply.', '# TYPE agentsec_request_duration_seconds histogram');
    for (let i = 0; i < BUCKETS.length; i++) out.push(`agentsec_request_duration_seconds_bucket{le="${BUCKETS[i]}"} ${this.hist.counts[i]}`);
    out.push(`agentsec_request_duration_seconds_bucket{le="+Inf"} ${this.hist.count}`, `agentsec_request_duration_seconds_sum ${this.hist.sum}`, `agentsec_request_duration_seconds_count ${this.hist.count}`);
    for (const [name, g] of this.gauges) {
      out.push(`# HELP agentsec_${name} ${g.help}`, `# TYPE agentsec_${name} gauge`);
      let v: number | Record<string, number>;
      try {
        v = g.read();
      } catch {
        continue;
      }
      if (typeof v === 'number') out.push(`agentsec_${name} ${v}`);
      else for (const [k, n] of Object.entries(v)) out.push(`agentsec_${name}{name="${escape(k)}"} ${n}`);
    }
    return `${out.join('\n')}\n`;
  }
}
