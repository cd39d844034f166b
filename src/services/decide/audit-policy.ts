/**
 * Which decisions reach the audit chain, so that the chain records attacks without an attacker being able to grow
 * it by one entry per request:
 * - every denial is counted; the first `maxDenials` of each period are also written one entry each (`serve.deny`),
 *   batched into one append a second;
 * - once per period (default 5m), one `serve.decisions` entry holds the counts: allowed by kind, denied by reason,
 *   rate-limited, unavailable, denials not written one by one, and the ten addresses denied most;
 * - allowed decisions are only counted, unless `sampleAllowed` is N > 0: then one in N is written (`serve.allow`).
 * So per period the chain grows by at most maxDenials + (allowed / N) + 1 entries, whatever the traffic.
 * Entries hold the address, the method, the path without its query, the reason and the key id, never a credential.
 */
import type { AuditEvent, JsonValue } from '../../core/audit/entry.js';
import type { Decision, DecisionInput } from './types.js';

export interface DecisionAuditSettings {
  readonly intervalMs: number;
  readonly maxDenials: number;
  readonly sampleAllowed: number;
}

/** At most this many distinct addresses are counted per period for the summary's top list. */
const MAX_TRACKED_IPS = 10_000;
/** Entries waiting for the next batch beyond this are counted, not kept (a stuck store must not grow memory). */
const MAX_PENDING = 10_000;

const pathOnly = (p: string): string => {
  const q = p.search(/[?#]/);
  return (q === -1 ? p : p.slice(0, q)).slice(0, 256);
};

export class DecisionAudit {
  private pending: AuditEvent[] = [];
  private counts = new Map<string, number>();
  private deniedIps = new Map<string, number>();
  private writtenDenials = 0;
  private allowedSeen = 0;
  private periodStart: number;
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly append: (events: readonly AuditEvent[]) => Promise<void>,
    private settings: DecisionAuditSettings,
    private readonly now: () => number,
    private readonly actor: JsonValue,
    private readonly onError: (err: unknown) => void,
  ) {
    this.periodStart = now();
  }

  /** New settings from a config reload; the counts of the running period are kept. */
  configure(settings: DecisionAuditSettings): void {
    this.settings = settings;
  }

  /** Counts a decision and queues its entry when the policy says so. Synchronous and cheap: on the hot path. */
  note(d: Decision, input: DecisionInput): void {
    const key = d.outcome === 'allow' ? `allow:${d.kind}` : `${d.outcome}:${d.reason}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    if (d.outcome === 'allow') {
      const n = this.settings.sampleAllowed;
      if (n > 0 && ++this.allowedSeen % n === 0) {
        this.queue({ type: 'serve.allow', actor: this.actor, data: { ip: input.clientIp, method: input.method.slice(0, 16), path: pathOnly(input.path), kind: d.kind, keyId: d.keyId, subject: d.subject } });
      }
      return;
    }
    if (this.deniedIps.has(input.clientIp) || this.deniedIps.size < MAX_TRACKED_IPS) this.deniedIps.set(input.clientIp, (this.deniedIps.get(input.clientIp) ?? 0) + 1);
    if (this.writtenDenials < this.settings.maxDenials) {
      this.writtenDenials++;
      const data: { [k: string]: JsonValue } = { ip: input.clientIp, method: input.method.slice(0, 16), path: pathOnly(input.path), status: d.status, reason: d.reason };
      if (d.outcome === 'deny' && d.status === 403 && d.keyId !== undefined) data['keyId'] = d.keyId;
      this.queue({ type: 'serve.deny', actor: this.actor, data });
    } else {
      this.counts.set('suppressed', (this.counts.get('suppressed') ?? 0) + 1);
    }
  }

  private queue(e: AuditEvent): void {
    if (this.pending.length < MAX_PENDING) this.pending.push(e);
    else this.counts.set('dropped', (this.counts.get('dropped') ?? 0) + 1);
  }

  /** Writes what is queued, and the period's summary once it is over (or with `final`). One append. */
  flush(final = false): Promise<void> {
    if (this.flushing) return this.flushing.then(() => (final ? this.flush(true) : undefined));
    const now = this.now();
    const events = this.pending;
    this.pending = [];
    if (final || now - this.periodStart >= this.settings.intervalMs) {
      if (this.counts.size > 0) events.push(this.summary(now));
      this.counts = new Map();
      this.deniedIps = new Map();
      this.writtenDenials = 0;
      this.periodStart = now;
    }
    if (events.length === 0) return Promise.resolve();
    this.flushing = this.append(events)
      .catch((err) => this.onError(err))
      .finally(() => {
        this.flushing = null;
      });
    return this.flushing;
  }

  private summary(now: number): AuditEvent {
    const counts: { [k: string]: JsonValue } = {};
    for (const [k, v] of [...this.counts].sort(([a], [b]) => (a < b ? -1 : 1))) counts[k] = v;
    const top = [...this.deniedIps].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([ip, n]) => ({ ip, denied: n }));
    return { type: 'serve.decisions', actor: this.actor, data: { from: this.periodStart, to: now, counts, topDenied: top } };
  }
}
