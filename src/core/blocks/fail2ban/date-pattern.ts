/**
 * fail2ban's `datepattern`: where a line's time is, and its text cut out of the line before the failregex runs (so
 * `[10/Oct/2000:13:55:36 -0700]` leaves `[]`, which filters expect). Supported: `{^LN-BEG}` (fail2ban's default
 * templates, at the start of the line), `{^LN-BEG}pattern` and `^pattern` (anchored), a pattern anywhere, `EPOCH`,
 * `{DEFAULT}`, `{NONE}`, and no datepattern (the default templates, at the start first, then anywhere). Patterns use
 * strptime directives (`%Y %m %d %H %M %S %f %z %b %a %p %I %k %s` and fail2ban's exact `%Ex…` forms). A time
 * without a zone is local time, as fail2ban reads it.
 */
import { translatePythonRegex } from './python-regex.js';

/** The time found in a line and the line without it. */
export interface FoundDate {
  readonly at: number;
  readonly rest: string;
}

export interface DateFinder {
  /** undefined when no template matches (the caller decides what a line without a time is). */
  find(line: string, now: number): FoundDate | undefined;
  /** `{NONE}`: lines carry no time; failures are dated now. */
  readonly none: boolean;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

// fail2ban's strptime directives (fail2ban/server/strptime.py), as Python regex with our own group names.
const DIRECTIVES: Record<string, string> = {
  Y: '(?P<Y>\\d{4})',
  ExY: '(?P<Y>(?:19|20|21)\\d\\d)',
  y: '(?P<y>\\d{2})',
  Exy: '(?P<y>\\d{2})',
  m: '(?P<m>0?[1-9]|1[0-2])',
  Exm: '(?P<m>0[1-9]|1[0-2])',
  d: '(?P<d>[1-2]\\d|[0 ]?[1-9]|3[0-1])',
  Exd: '(?P<d>[1-2]\\d|0[1-9]|3[0-1])',
  H: '(?P<H>[0-1]?\\d|2[0-3])',
  ExH: '(?P<H>[0-1]\\d|2[0-3])',
  k: ' ?(?P<H>[0-2]?\\d)',
  Exk: ' ?(?P<H>[0-1]?\\d|2[0-3])',
  I: '(?P<I>1[0-2]|0?[1-9])',
  l: ' ?(?P<I>1?\\d)',
  M: '(?P<M>[0-5]?\\d)',
  ExM: '(?P<M>[0-5]\\d)',
  S: '(?P<S>[0-5]?\\d|6[0-1])',
  ExS: '(?P<S>[0-5]\\d|6[0-1])',
  f: '(?P<f>\\d+)',
  z: '(?P<z>Z|UTC|GMT|[+-][01]\\d(?::?\\d{2})?)',
  Exz: '(?P<z>Z|UTC|GMT|[+-][01]\\d(?::?\\d{2})?)',
  Z: '(?P<Z>Z|[A-Z]{3,5})',
  b: '(?P<b>[Jj]an|[Ff]eb|[Mm]ar|[Aa]pr|[Mm]ay|[Jj]un|[Jj]ul|[Aa]ug|[Ss]ep|[Oo]ct|[Nn]ov|[Dd]ec)',
  a: '(?:[Mm]on|[Tt]ue|[Ww]ed|[Tt]hu|[Ff]ri|[Ss]at|[Ss]un)',
  p: '(?P<p>[AaPp][Mm])',
  s: '(?P<s>\\d{10,11})',
};

// fail2ban's default templates (datedetector.py), the common ones.
const DEFAULT_TEMPLATES = [
  '%ExY(?P<_sep>[-/.])%m(?P=_sep)%d(?:T|  ?)%H:%M:%S(?:[.,]%f)?(?:\\s*%z)?',
  '(?:%a )?%b %d %k:%M:%S(?:\\.%f)?(?: %ExY)?',
  '(?:%a )?%b %d %ExY %k:%M:%S(?:\\.%f)?',
  '%d(?P<_sep>[-/])%m(?P=_sep)(?:%ExY|%Exy) %k:%M:%S',
  '%d(?P<_sep>[-/])%b(?P=_sep)%ExY[ :]?%H:%M:%S(?:\\.%f)?(?: %z)?',
  '%m/%d/%ExY:%H:%M:%S',
  '%m-%d-%ExY %k:%M:%S(?:\\.%f)?',
  'EPOCH',
];

const EPOCH = '(?:^|(?<=^\\[)|(?<=\\baudit\\())(?P<s>\\d{10,11}(?:\\.\\d{3,6})?)(?=\\b|\\W|$)';

/** A pattern's directives expanded to Python regex. @throws Error naming an unknown directive. */
function expand(pattern: string): string {
  if (pattern === 'EPOCH' || pattern === 'LEPOCH') return EPOCH;
  return pattern.replace(/%(Ex[a-zA-Z]|[a-zA-Z%])/g, (all, d: string) => {
    if (d === '%') return '%';
    const r = DIRECTIVES[d];
    if (r === undefined) throw new Error(`datepattern directive %${d} is not supported`);
    return r;
  });
}

interface Template {
  readonly re: RegExp;
}

function compile(python: string, mode: 'line-begin' | 'caret' | 'search'): Template {
  // `{^LN-BEG}` allows two punctuation characters before the date (`[`); a search adds word boundaries, as fail2ban
  // does, so a date is not found inside a longer number.
  const body =
    mode === 'line-begin' ? `^(?:\\W{0,2})?(?P<__date>${python})` : mode === 'caret' ? `^(?P<__date>${python})` : `(?=^|\\b|\\W)(?P<__date>${python})(?=\\b|\\W|$)`;
  const t = translatePythonRegex(body);
  if (!t.ok) throw new Error(`datepattern: ${t.message}`);
  return { re: new RegExp(t.source, t.flags.includes('i') ? t.flags : `${t.flags}i`) };
}

function timeOf(g: Record<string, string | undefined>, now: number): number | undefined {
  if (g['s'] !== undefined) return Math.round(Number(g['s']) * 1000);
  const today = new Date(now);
  let year = g['Y'] !== undefined ? Number(g['Y']) : g['y'] !== undefined ? 2000 + Number(g['y']) : undefined;
  const month = g['m'] !== undefined ? Number(g['m']) - 1 : g['b'] !== undefined ? MONTHS.indexOf(g['b'].toLowerCase()) : undefined;
  const day = g['d'] !== undefined ? Number(g['d'].trim()) : undefined;
  let hour = Number(g['H'] ?? g['I'] ?? 0);
  if (g['I'] !== undefined && g['p'] !== undefined) hour = (hour % 12) + (g['p'].toLowerCase() === 'pm' ? 12 : 0);
  const min = Number(g['M'] ?? 0);
  const sec = Number(g['S'] ?? 0);
  const ms = g['f'] !== undefined ? Math.floor(Number(`0.${g['f']}`) * 1000) : 0;
  const mo = month ?? today.getMonth();
  const d = day ?? today.getDate();
  const z = g['z'];
  const build = (y: number) => {
    if (z === undefined) return new Date(y, mo, d, hour, min, sec, ms).getTime();
    const utc = Date.UTC(y, mo, d, hour, min, sec, ms);
    if (z === 'Z' || z === 'UTC' || z === 'GMT') return utc;
    const zm = /^([+-])(\d{2}):?(\d{2})?$/.exec(z);
    if (!zm) return undefined;
    return utc - (zm[1] === '-' ? -1 : 1) * (Number(zm[2]) * 60 + Number(zm[3] ?? 0)) * 60_000;
  };
  if (year === undefined) {
    // A syslog date has no year: this year, unless that puts it more than a day ahead (a December line read in January).
    year = today.getFullYear();
    const t = build(year);
    if (t !== undefined && t > now + 86_400_000) return build(year - 1);
  }
  const t = build(year);
  return t !== undefined && Number.isFinite(t) ? t : undefined;
}

function finder(templates: readonly Template[], none = false): DateFinder {
  return {
    none,
    find(line, now) {
      for (const t of templates) {
        const m = t.re.exec(line);
        if (!m || !m.groups) continue;
        const text = m.groups['__date'] as string;
        const start = m.index + m[0].length - text.length;
        const at = timeOf(m.groups, now);
        if (at === undefined) continue;
        return { at, rest: line.slice(0, start) + line.slice(start + text.length) };
      }
      return undefined;
    },
  };
}

/**
 * Compiles a filter's `datepattern` (already interpolated; several lines are several patterns, tried in order).
 * @throws Error (one line) for a directive or construct that is not supported.
 */
export function compileDatePattern(value: string | undefined): DateFinder {
  const patterns = (value ?? '').split('\n').map((p) => p.trim()).filter((p) => p !== '');
  if (patterns.length === 0 || (patterns.length === 1 && patterns[0] === '{DEFAULT}')) {
    const defs = DEFAULT_TEMPLATES.map(expand);
    return finder([...defs.map((p) => compile(p, 'line-begin')), ...defs.map((p) => compile(p, 'search'))]);
  }
  if (patterns.length === 1 && patterns[0] === '{NONE}') return finder([], true);
  const out: Template[] = [];
  for (const p of patterns) {
    if (p.includes('{DATE}')) throw new Error('datepattern {DATE} inside a pattern is not supported: write the date directives out');
    if (p === '{^LN-BEG}') out.push(...DEFAULT_TEMPLATES.map((t) => compile(expand(t), 'line-begin')));
    else if (p.startsWith('{^LN-BEG}')) out.push(compile(expand(p.slice(9)), 'line-begin'));
    else if (p.startsWith('^')) out.push(compile(expand(p.slice(1)), 'caret'));
    else out.push(compile(expand(p), 'search'));
  }
  return finder(out);
}
