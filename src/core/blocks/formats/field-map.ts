/**
 * Field maps and event maps: how a structured log line (JSON, logfmt, a journald entry) says who failed, when, and
 * how. Event names are matched exactly, or against a pattern anchored at both ends: never as a substring, because
 * `LLM_TOKEN_ERROR` is not an auth failure just because it contains `TOKEN`.
 */
import { clientAddress, type Cidr } from '../../net/index.js';
import type { FailureKind } from '../policy.js';
import { NEUTRAL, statusFailure, UNRECOGNISED, type LineVerdict, type StatusRules } from './types.js';

/** Which fields hold what; each is a list of candidates, the first one present wins. Dotted names reach nested objects. */
export interface FieldMap {
  readonly ip: readonly string[];
  readonly time: readonly string[];
  /** Fields whose value is an event name; the first one present is the event (put the most specific first). */
  readonly event: readonly string[];
  readonly status: readonly string[];
  /** An `X-Forwarded-For`-style field, believed only when the address field is a trusted proxy. */
  readonly forwardedFor: readonly string[];
  /** How long an imported decision lasts: seconds, or a duration text (`15m`, `24h`), or `permanent`. */
  readonly duration: readonly string[];
}

/** Event values, exact or `/pattern/` (anchored), per meaning. */
export interface EventMap {
  readonly auth: readonly string[];
  readonly ratelimit: readonly string[];
  readonly decision: readonly string[];
}

/** An event map compiled for matching. */
export interface EventMatcher {
  match(value: string): 'auth' | 'ratelimit' | 'decision' | undefined;
}

/**
 * Compiles an event map: `/…/` entries become patterns anchored at both ends (a pattern that cannot compile is
 * refused with `what` in the message), the rest are exact values. Decision beats rate limit beats auth.
 *
 * @throws Error with a one-line message for a pattern that is not a valid regular expression.
 */
export function compileEventMap(map: EventMap, what: string): EventMatcher {
  const compile = (list: readonly string[], kind: string) => {
    const exact = new Set<string>();
    const patterns: RegExp[] = [];
    for (const v of list) {
      if (v.length >= 2 && v.startsWith('/') && v.endsWith('/')) {
        try {
          patterns.push(new RegExp(`^(?:${v.slice(1, -1)})$`));
        } catch (err) {
          throw new Error(`${what} ${kind} event ${v}: not a valid pattern (${(err as Error).message.split('\n')[0]})`);
        }
      } else exact.add(v);
    }
    return (value: string) => exact.has(value) || patterns.some((p) => p.test(value));
  };
  const auth = compile(map.auth, 'auth');
  const rate = compile(map.ratelimit, 'ratelimit');
  const decision = compile(map.decision, 'decision');
  return { match: (v) => (decision(v) ? 'decision' : rate(v) ? 'ratelimit' : auth(v) ? 'auth' : undefined) };
}

/** Reads a field of a parsed record: the exact key first, then a dotted path into nested objects. */
export type FieldReader = (name: string) => unknown;

export function objectReader(o: Record<string, unknown>): FieldReader {
  return (name) => {
    if (Object.hasOwn(o, name)) return o[name];
    if (!name.includes('.')) return undefined;
    let cur: unknown = o;
    for (const part of name.split('.')) {
      if (typeof cur !== 'object' || cur === null || Array.isArray(cur) || !Object.hasOwn(cur, part)) return undefined;
      cur = (cur as Record<string, unknown>)[part];
    }
    return cur;
  };
}

function first(read: FieldReader, names: readonly string[]): unknown {
  for (const n of names) {
    const v = read(n);
    if (v !== undefined && v !== null) return v;
  }
  return undefined;
}

/** A time value: epoch seconds or milliseconds as a number, or a date text. */
export function timeValue(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v < 1e11 ? Math.round(v * 1000) : Math.round(v);
  if (typeof v === 'string' && v !== '') {
    if (/^\d+(\.\d+)?$/.test(v)) return timeValue(Number(v));
    const t = Date.parse(v);
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** A decision's duration: seconds (number or digits), a duration text (`15m`, `1h30m`), or permanent; else undefined. */
export function durationValue(v: unknown): number | null | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v < 0 ? null : v > 0 ? Math.round(v * 1000) : undefined;
  if (typeof v !== 'string') return undefined;
  const t = v.trim().toLowerCase();
  if (t === 'permanent' || t === 'forever' || t === '-1') return null;
  if (/^\d+(\.\d+)?$/.test(t)) return durationValue(Number(t));
  if (!/^(\d+(ms|s|m|h|d|w))+$/.test(t)) return undefined;
  let ms = 0;
  for (const m of t.matchAll(/(\d+)(ms|s|m|h|d|w)/g)) ms += Number(m[1]) * (UNITS[m[2] as string] as number);
  return ms > 0 ? ms : undefined;
}

function statusValue(v: unknown): number {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^\d{3}$/.test(v)) return Number(v);
  return -1;
}

/** A forwarded-for value as a string (Caddy logs headers as arrays of strings). */
function forwardedText(v: unknown): string | readonly string[] | undefined {
  if (typeof v === 'string') return v === '' || v === '-' ? undefined : v;
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  return undefined;
}

export interface MappedOptions {
  readonly fields: FieldMap;
  readonly events: EventMatcher;
  readonly rules: StatusRules;
  readonly trusted: readonly Cidr[];
}

/**
 * What a structured record means. A record that has none of the mapped address, event or status fields is not of
 * this shape (unrecognised). A failure or a decision needs an address that is a string; a number, an object or an
 * array there is unrecognised, never coerced. The event decides before the status.
 */
export function classifyRecord(read: FieldReader, o: MappedOptions): LineVerdict {
  const ipRaw = first(read, o.fields.ip);
  const eventRaw = first(read, o.fields.event);
  const statusRaw = first(read, o.fields.status);
  if (ipRaw === undefined && eventRaw === undefined && statusRaw === undefined) return UNRECOGNISED;
  const event = typeof eventRaw === 'string' ? eventRaw : undefined;
  const meaning = event !== undefined ? o.events.match(event) : undefined;
  const failure: FailureKind | undefined = meaning === 'auth' || meaning === 'ratelimit' ? meaning : meaning === undefined ? statusFailure(o.rules, statusValue(statusRaw)) : undefined;
  if (!failure && meaning !== 'decision') return NEUTRAL;
  if (typeof ipRaw !== 'string' || ipRaw === '') return UNRECOGNISED;
  let ip = ipRaw;
  if (o.trusted.length > 0) {
    const c = clientAddress(ipRaw, forwardedText(first(read, o.fields.forwardedFor)), o.trusted);
    if (!c.ok) return UNRECOGNISED;
    ip = c.ip;
  }
  const at = timeValue(first(read, o.fields.time));
  if (meaning === 'decision') return { kind: 'decision', ip, at, durationMs: durationValue(first(read, o.fields.duration)), event: event as string };
  return { kind: 'failure', ip, failure: failure as FailureKind, at };
}
