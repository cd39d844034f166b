/**
 * Common/combined log format lines (nginx, Apache, Traefik's CLF): `ADDR - USER [TIME] "REQUEST" STATUS BYTES …`.
 * Only the address, time and status are read, by position rather than one big regular expression, because this
 * runs a million times per log. With trusted proxies, the client is taken from a forwarded-for field at the end.
 */
import { clientAddress, type Cidr } from '../../net/index.js';
import { NEUTRAL, statusFailure, UNRECOGNISED, type LineClassifier, type LineVerdict, type StatusRules } from './types.js';

const MONTHS: Record<string, number> = { Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11 };

let lastTimeText = '';
let lastTimeMs: number | undefined;

/** `10/Oct/2000:13:55:36 -0700` to epoch ms (memoised: consecutive lines mostly share their second). */
export function parseClfTime(text: string): number | undefined {
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

/** Where a CLF line's fields are: the address ends at `sp`, the time is (open, close), the status ends at `statusEnd`. */
interface ClfFields {
  readonly sp: number;
  readonly open: number;
  readonly close: number;
  readonly status: number;
  readonly statusEnd: number;
}

/**
 * The positions of a CLF line's fields, or undefined when it is not one. A request line may hold escaped quotes, so
 * the status is the first `" NNN ` after it.
 */
export function clfFields(line: string): ClfFields | undefined {
  const sp = line.indexOf(' ');
  if (sp <= 0) return undefined;
  const open = line.indexOf(' [', sp);
  const close = open < 0 ? -1 : line.indexOf('] "', open);
  if (close < 0) return undefined;
  let q = close + 3;
  for (;;) {
    q = line.indexOf('" ', q);
    if (q < 0) return undefined;
    if (line.charCodeAt(q - 1) === 92) {
      q += 1; // an escaped quote inside the request (`\"`), not its end
      continue;
    }
    const a = line.charCodeAt(q + 2);
    const b = line.charCodeAt(q + 3);
    const c = line.charCodeAt(q + 4);
    if (isDigit(a) && isDigit(b) && isDigit(c) && (q + 5 === line.length || line.charCodeAt(q + 5) === 32)) {
      return { sp, open, close, status: (a - 48) * 100 + (b - 48) * 10 + (c - 48), statusEnd: q + 5 };
    }
    q += 1;
  }
}

/**
 * The quoted fields after the status (`"referer" "user agent" "x-forwarded-for"` …), unescaped of `\"` and `\\`.
 * nginx writes a quote inside a field as `\x22`, so a client cannot add a field of its own with its user agent.
 */
export function quotedFieldsAfter(line: string, from: number): string[] {
  const out: string[] = [];
  let i = from;
  while (i < line.length) {
    const q = line.indexOf('"', i);
    if (q < 0) break;
    let j = q + 1;
    let text = '';
    for (; j < line.length; j++) {
      const c = line.charCodeAt(j);
      if (c === 92 && j + 1 < line.length) {
        text += line[++j];
        continue;
      }
      if (c === 34) break;
      text += line[j];
    }
    if (j >= line.length) break; // an unterminated field is no field
    out.push(text);
    i = j + 1;
  }
  return out;
}

/** `$http_x_forwarded_for` as nginx logs it: `-` when the header was absent. */
function forwardedValue(text: string | undefined): string | undefined {
  return text === undefined || text === '-' || text === '' ? undefined : text;
}

export interface ClfOptions {
  readonly rules: StatusRules;
  /** Proxies whose forwarded-for field is believed; empty: the address column is the client. */
  readonly trusted: readonly Cidr[];
  /**
   * Which quoted field after the status holds `$http_x_forwarded_for` (0: the referer, 1: the user agent, 2: the
   * one after, as nginx's `main` format and most real-IP formats append it). Read only from a trusted peer's lines.
   */
  readonly forwardedField?: number;
}

/**
 * One CLF line. With trusted proxies, a line from a trusted peer is charged to the client its forwarded-for field
 * names, walked right to left past the trusted hops; the balancer itself is never the client unless the line came
 * from it alone. A broken chain is unrecognised (guessing would block the wrong address).
 */
export function classifyClf(line: string, opts: ClfOptions): LineVerdict {
  const f = clfFields(line);
  if (!f) return UNRECOGNISED;
  const failure = statusFailure(opts.rules, f.status);
  if (!failure) return NEUTRAL;
  let ip = line.slice(0, f.sp);
  if (opts.trusted.length > 0) {
    const fields = quotedFieldsAfter(line, f.statusEnd);
    const c = clientAddress(ip, forwardedValue(fields[opts.forwardedField ?? 2]), opts.trusted);
    if (!c.ok) return UNRECOGNISED;
    ip = c.ip;
  }
  return { kind: 'failure', ip, failure, at: parseClfTime(line.slice(f.open + 2, f.close)) };
}

/** Traefik's CLF ends with `"router" "server URL" 12ms`: what tells it from nginx's. */
export function isTraefikClf(line: string): boolean {
  return /" \d+ms$/.test(line) && clfFields(line) !== undefined;
}

/** The classifier of `nginx`, `clf` and `traefik-clf` lines. */
export function clfClassifier(format: 'nginx' | 'clf' | 'traefik-clf', opts: ClfOptions): LineClassifier {
  // The common case (no trusted proxies) is a plain call, so the million-line path stays as fast as it was.
  if (opts.trusted.length === 0) {
    const rules = opts.rules;
    const plain: ClfOptions = { rules, trusted: [] };
    return { format, classify: (line) => classifyClf(line, plain) };
  }
  return { format, classify: (line) => classifyClf(line, opts) };
}
