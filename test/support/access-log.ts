import { closeSync, openSync, writeSync } from 'node:fs';

/** A small, fast, seeded PRNG (mulberry32): the same seed gives the same log on every machine. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function nginxTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

export interface GeneratedLog {
  /** Canonical addresses that must end up blocked. */
  readonly offenders: ReadonlySet<string>;
  readonly lines: number;
  readonly failureLines: number;
  readonly malformedLines: number;
  readonly start: number;
  readonly end: number;
}

export interface LogSpec {
  readonly lines: number;
  readonly seed: number;
  /** Time of the first line (ms); lines are spread evenly over `spanMs`. */
  readonly start: number;
  /** How long the log lasts (ms), one hour unless given. */
  readonly spanMs?: number;
  readonly offenders: number;
  /** Failures per offender, all inside a burst of a twelfth of the span (so, for a span of at most two hours, at
   * least max-failures=5 inside find-time=10m). */
  readonly burst: number;
  /** Addresses with 1-4 failures in the whole log: never enough to be blocked. */
  readonly noise: number;
  /** Fraction of lines that are garbage. */
  readonly malformed: number;
  /**
   * How each line is written: nginx combined (default); the inference platform's JSON security log; or a key=value
   * security log. Statuses become events: 401 AUTHENTICATION_FAILED, 403 ACCESS_DENIED, 429 RATE_LIMIT_EXCEEDED, and
   * a 200 is an event that must not count (LLM_TOKEN_ERROR, CACHE_KEY_ERROR, REQUEST_OK).
   */
  readonly shape?: 'nginx' | 'json' | 'logfmt';
}

const EVENTS: Record<number, string> = { 401: 'AUTHENTICATION_FAILED', 403: 'ACCESS_DENIED', 429: 'RATE_LIMIT_EXCEEDED' };
const NEUTRAL_EVENTS = ['REQUEST_OK', 'LLM_TOKEN_ERROR', 'REQUEST_OK', 'CACHE_KEY_ERROR', 'REQUEST_OK'];

function render(shape: LogSpec['shape'], ip: string, status: number, t: number, i: number): string {
  if (shape === 'json') {
    const event = EVENTS[status] ?? (NEUTRAL_EVENTS[i % NEUTRAL_EVENTS.length] as string);
    return `{"timestamp": "${new Date(t).toISOString()}", "level": "${status === 200 ? 'INFO' : 'WARN'}", "event": "${event}", "user_id": "user-${i % 997}", "source_ip": "${ip}", "user_agent": "agent-client/1.${i % 9}"}\n`;
  }
  if (shape === 'logfmt') {
    const event = EVENTS[status] ?? (NEUTRAL_EVENTS[i % NEUTRAL_EVENTS.length] as string);
    return `time=${new Date(t).toISOString()} level=${status === 200 ? 'info' : 'warn'} event=${event} ip=${ip} session=s-${i % 997} msg="agent ${i % 97} request"\n`;
  }
  return `${ip} - - [${nginxTime(t)}] "GET /v1/agents/${i % 97}/run?x=%22y%22 HTTP/1.1" ${status} ${100 + (i % 900)} "-" "agent-client/1.${i % 9}"\n`;
}

function v4(rand: () => number, first: number): string {
  return `${first}.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}.${1 + Math.floor(rand() * 254)}`;
}

function v6(rand: () => number): string {
  const g = () => Math.floor(rand() * 65536).toString(16);
  return `2001:db8:${g()}:${g()}::${g()}`;
}

/**
 * Writes an nginx combined access log (or a JSON or key=value security log, see `shape`) with a known set of offenders: each offender fails `burst` times inside five
 * minutes (a tenth use IPv6, a few spell it in upper case or IPv4-mapped), `noise` addresses fail 1-4 times in the
 * whole log, loopback fails many times (allowlisted), and the rest are 200s. Offender addresses start at 11-99,
 * noise at 100-199, successes at 200-223, so the sets are disjoint by construction.
 */
export function writeAccessLog(path: string, spec: LogSpec): GeneratedLog {
  const rand = seeded(spec.seed);
  const N = spec.lines;
  const slots: Array<[string, number] | undefined> = new Array(N);
  const spanMs = spec.spanMs ?? 3_600_000;
  const span = Math.max(1, Math.floor(N / 12)); // a twelfth of the log: five minutes of an hour
  const offenders = new Set<string>();
  const place = (ip: string, status: number, lo: number, hi: number) => {
    for (let tries = 0; tries < 1000; tries++) {
      const i = lo + Math.floor(rand() * (hi - lo));
      if (!slots[i]) {
        slots[i] = [ip, status];
        return;
      }
    }
    throw new Error('log too small for the spec');
  };
  let failureLines = 0;
  for (let o = 0; o < spec.offenders; o++) {
    let ip: string;
    let canonical: string;
    if (o % 10 === 0) {
      canonical = v6(rand);
      ip = o % 20 === 0 ? canonical.toUpperCase() : canonical;
    } else {
      canonical = v4(rand, 11 + Math.floor(rand() * 89));
      ip = o % 7 === 0 ? `::ffff:${canonical}` : canonical;
    }
    if (offenders.has(canonical)) {
      o--;
      continue;
    }
    offenders.add(canonical);
    const s = Math.floor(rand() * (N - span));
    for (let k = 0; k < spec.burst; k++) place(ip, [401, 403, 429][k % 3] as number, s, s + span);
    failureLines += spec.burst;
  }
  for (let n = 0; n < spec.noise; n++) {
    const ip = v4(rand, 100 + (n % 100));
    const times = 1 + (n % 4);
    for (let k = 0; k < times; k++) place(ip, k % 2 ? 401 : 429, 0, N);
    failureLines += times;
  }
  for (let k = 0; k < 20; k++) place('127.0.0.1', 401, 0, Math.min(N, 100));
  failureLines += 20;
  const fd = openSync(path, 'w');
  let malformedLines = 0;
  try {
    let buf: string[] = [];
    for (let i = 0; i < N; i++) {
      const t = spec.start + Math.floor((i * spanMs) / N);
      const slot = slots[i];
      if (!slot && rand() < spec.malformed) {
        buf.push(`garbage ${i} [not a log line\n`);
        malformedLines++;
      } else {
        const [ip, status] = slot ?? [v4(rand, 200 + Math.floor(rand() * 24)), 200];
        buf.push(render(spec.shape, ip, status, t, i));
      }
      if (buf.length === 10_000) {
        writeSync(fd, buf.join(''));
        buf = [];
      }
    }
    writeSync(fd, buf.join(''));
  } finally {
    closeSync(fd);
  }
  return { offenders, lines: N, failureLines, malformedLines, start: spec.start, end: spec.start + spanMs };
}
