import type { FailureKind } from './policy.js';

export type LogFormat = 'nginx' | 'json' | 'auto';

/**
 * The longest log line read, in bytes (64 KiB, newline excluded). A real access or security log line is a few
 * hundred bytes; a longer one is a logged body or an attack on the reader, and is counted as overlong and skipped.
 */
export const MAX_LINE_BYTES = 64 * 1024;

/** What one log line means to the policy. */
export type LineVerdict =
  | { readonly kind: 'failure'; readonly ip: string; readonly failure: FailureKind; readonly at: number | undefined }
  | { readonly kind: 'other' }
  | { readonly kind: 'malformed' };

export interface LineRules {
  readonly authStatuses: readonly number[];
  readonly ratelimitStatuses: readonly number[];
}

const OTHER: LineVerdict = Object.freeze({ kind: 'other' });
const MALFORMED: LineVerdict = Object.freeze({ kind: 'malformed' });
const MONTHS: Record<string, number> = { Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11 };

let lastTimeText = '';
let lastTimeMs: number | undefined;

/** `10/Oct/2000:13:55:36 -0700` to epoch ms (memoised: consecutive lines mostly share their second). */
export function parseNginxTime(text: string): number | undefined {
  if (text === lastTimeText) return lastTimeMs;
  const m = /^(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/.exec(text);
  let ms: number | undefined;
  if (m) {
    const month = MONTHS[m[2] as string];
    if (month !== undefined) {
      const offset = (Number(m[8]) * 60 + Number(m[9])) * 60_000 * (m[7] === '-' ? -1 : 1);
      ms = Date.UTC(Number(m[3]), month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6])) - offset;
    }
  }
  lastTimeText = text;
  lastTimeMs = ms;
  return ms;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * An nginx `combined` (or `common`) access log line: `ADDR - USER [TIME] "REQUEST" STATUS BYTES …`. Only the
 * address, time and status are read, by position rather than one big regular expression, because this runs a
 * million times per log. A request line may hold escaped quotes, so the status is the first `" NNN ` after it.
 */
export function parseNginxLine(line: string, rules: LineRules): LineVerdict {
  const sp = line.indexOf(' ');
  if (sp <= 0) return MALFORMED;
  const open = line.indexOf(' [', sp);
  const close = open < 0 ? -1 : line.indexOf('] "', open);
  if (close < 0) return MALFORMED;
  let q = close + 3;
  let status = -1;
  for (;;) {
    q = line.indexOf('" ', q);
    if (q < 0) return MALFORMED;
    if (line.charCodeAt(q - 1) === 92) {
      q += 1; // an escaped quote inside the request (`\"`), not its end
      continue;
    }
    const a = line.charCodeAt(q + 2);
    const b = line.charCodeAt(q + 3);
    const c = line.charCodeAt(q + 4);
    if (isDigit(a) && isDigit(b) && isDigit(c) && (q + 5 === line.length || line.charCodeAt(q + 5) === 32)) {
      status = (a - 48) * 100 + (b - 48) * 10 + (c - 48);
      break;
    }
    q += 1;
  }
  const failure: FailureKind | undefined = rules.authStatuses.includes(status) ? 'auth' : rules.ratelimitStatuses.includes(status) ? 'ratelimit' : undefined;
  if (!failure) return OTHER;
  return { kind: 'failure', ip: line.slice(0, sp), failure, at: parseNginxTime(line.slice(open + 2, close)) };
}

const IP_FIELDS = ['source_ip', 'src_ip', 'client_ip', 'remote_addr', 'ip', 'clientIp', 'sourceIp'];
const EVENT_FIELDS = ['event', 'type', 'event_type', 'eventType', 'action'];
const TIME_FIELDS = ['timestamp', 'time', '@timestamp', 'ts'];
const AUTH_EVENT = /(auth|login|signin|credential|token|key|password|totp|otp|verify)[._-]?(fail|failed|failure|invalid|denied|rejected|error)|security[._-]?violation|unauthori[sz]ed|forbidden|brute/i;
const RATE_EVENT = /rate[._-]?limit|too[._-]?many|throttl/i;

function pick(obj: Record<string, unknown>, fields: readonly string[]): unknown {
  for (const f of fields) if (obj[f] !== undefined && obj[f] !== null) return obj[f];
  return undefined;
}

function timeOf(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v < 1e11 ? Math.round(v * 1000) : Math.round(v);
  if (typeof v === 'string') {
    const t = Date.parse(v);
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
}

/**
 * A JSON security log line: an object with a source address (`source_ip`, `client_ip`, `remote_addr`, `ip`, or
 * agentsec audit entries' `data.ip`) and an event name that reads as an auth failure (`SECURITY_VIOLATION`,
 * `auth.failed`, `keys.verify.failed` …) or a rate-limit hit, or an HTTP `status` from the rules.
 */
export function parseJsonLine(line: string, rules: LineRules): LineVerdict {
  let obj: unknown;
  try {
    obj = JSON.parse(line);
  } catch {
    return MALFORMED;
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return MALFORMED;
  const o = obj as Record<string, unknown>;
  const data = typeof o['data'] === 'object' && o['data'] !== null ? (o['data'] as Record<string, unknown>) : {};
  const ip = pick(o, IP_FIELDS) ?? pick(data, IP_FIELDS);
  const event = String(pick(o, EVENT_FIELDS) ?? '');
  const statusRaw = o['status'] ?? o['status_code'] ?? o['statusCode'] ?? data['status'];
  const status = typeof statusRaw === 'number' ? statusRaw : typeof statusRaw === 'string' && /^\d{3}$/.test(statusRaw) ? Number(statusRaw) : -1;
  let failure: FailureKind | undefined;
  if (RATE_EVENT.test(event) || rules.ratelimitStatuses.includes(status)) failure = 'ratelimit';
  else if (AUTH_EVENT.test(event) || rules.authStatuses.includes(status)) failure = 'auth';
  if (!failure) return OTHER;
  if (typeof ip !== 'string' || ip === '') return MALFORMED;
  return { kind: 'failure', ip, failure, at: timeOf(pick(o, TIME_FIELDS)) };
}

/** One line in the given format; `auto` decides per line (a JSON object starts with `{`). */
export function parseLogLine(line: string, format: LogFormat, rules: LineRules): LineVerdict {
  if (line.length === 0) return OTHER;
  if (format === 'json' || (format === 'auto' && line.charCodeAt(0) === 123)) return parseJsonLine(line, rules);
  return parseNginxLine(line, rules);
}
