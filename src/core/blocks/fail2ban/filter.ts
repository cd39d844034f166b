/**
 * A fail2ban filter (`filter.d/*.conf`) compiled into a line classifier, so users bring their filters unchanged.
 * The `[Definition]` (with `[Init]` and `[DEFAULT]`) values are interpolated, `<name>` tags substituted the way
 * fail2ban does (innermost first, so `<mdre-<mode>>` works), `<HOST>`/`<ADDR>`/`<IP4>`/`<IP6>`/`<F-…>` expanded,
 * and each `failregex`/`ignoreregex` line translated from Python to JavaScript. What cannot be translated is refused
 * with a one-line error naming the file and line.
 *
 * `<HOST>` keeps fail2ban's host-name alternative, so a filter matches the same lines as under fail2ban, but a
 * host name is never resolved (a DNS lookup per log line is slow, and the attacker controls the name and its
 * records): such a line is counted as unrecognised.
 */
import { canonicalIp } from '../../net/index.js';
import { usageError } from '../../errors.js';
import { NEUTRAL, UNRECOGNISED, type LineClassifier, type LineVerdict } from '../formats/types.js';
import { compileDatePattern, type DateFinder } from './date-pattern.js';
import { filterError, interpolate, readWithIncludes, type FileReader, type IniSections, type IniValue } from './ini.js';
import { translatePythonRegex } from './python-regex.js';

// fail2ban/server/failregex.py and ipdns.py.
const IP4 = '(?:\\d{1,3}\\.){3}\\d{1,3}';
const IP6 = '(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|(?<=:):)';
const R_IP4 = `(?:::f{4,6}:)?(?P<ip4>${IP4})`;
const R_IP6 = `(?P<ip6>${IP6})`;
const R_DNS = '(?P<dns>[\\w\\-.^_]*\\w)';
const R_ADDR = `\\[?(?:${R_IP4}|${R_IP6})\\]?`;
const R_HOST = `(?:${R_ADDR}|${R_DNS})`;
const HOST_TAGS: Record<string, string> = {
  HOST: R_HOST,
  ADDR: R_ADDR,
  'F-ADDR/': R_ADDR,
  IP4: R_IP4,
  'F-IP4/': R_IP4,
  IP6: R_IP6,
  'F-IP6/': R_IP6,
  DNS: R_DNS,
  'F-DNS/': R_DNS,
  'F-ID/': '(?P<fid>\\S+)',
  'F-PORT/': '(?P<fport>\\w+)',
};

/** `<HOST>` and the other address tags, and `<F-NAME>…</F-NAME>` capture groups, as fail2ban expands them. */
function expandHostTags(regex: string): string | { error: string } {
  const open = new Set<string>();
  let error: string | undefined;
  const out = regex.replace(/<\/?[\w-]+\/?>/g, (tag) => {
    const name = tag.slice(1, -1);
    if (name === 'SKIPLINES') {
      error = '<SKIPLINES> (multi-line matching) is not supported';
      return tag;
    }
    const fixed = HOST_TAGS[name];
    if (fixed !== undefined) return fixed;
    const m = /^(\/?)F-([A-Z0-9_-]+)$/.exec(name);
    if (!m) return tag;
    const id = (m[2] as string).toLowerCase().replace(/-/g, '_');
    const group = id === 'id' ? 'fid' : id === 'port' ? 'fport' : id;
    if (m[1]) return open.has(group) ? ')' : tag;
    open.add(group);
    return `(?P<${group}>`;
  });
  return error ? { error } : out;
}

const MAX_TAG_ROUNDS = 50;

/** Substitutes `<name>` and `<section/name>` tags from the filter's values until none is left to substitute. */
function substituteTags(text: string, lookup: (name: string) => string | undefined, where: IniValue): string {
  let cur = text;
  for (let round = 0; round < MAX_TAG_ROUNDS; round++) {
    let changed = false;
    cur = cur.replace(/<([^<>\s]+)>/g, (all, name: string) => {
      const v = lookup(name);
      if (v === undefined) return all;
      changed = true;
      return v;
    });
    if (!changed) return cur;
  }
  throw filterError(where.file, where.line, 'tags refer to each other in a loop');
}

/** The compiled filter: its regexes (for tests and `--json`) and its classifier. */
export interface CompiledFilter extends LineClassifier {
  readonly failregex: readonly RegExp[];
  readonly ignoreregex: readonly RegExp[];
  readonly prefregex: RegExp | undefined;
  readonly dates: DateFinder;
}

interface Entry {
  readonly text: string;
  readonly file: string;
  readonly line: number;
}

/** The lines of a list value (`failregex`), each with its own file:line, tags and interpolation resolved. */
function entries(sections: IniSections, section: string, key: string, lookup: (name: string) => string | undefined): Entry[] {
  const v = sections.get(section)?.get(key);
  if (!v) return [];
  const out: Entry[] = [];
  const rows = interpolate(sections, section, v).split('\n');
  rows.forEach((row, i) => {
    const line = v.lines[Math.min(i, v.lines.length - 1)] ?? v.line;
    for (const part of substituteTags(row, lookup, { ...v, line }).split('\n')) {
      const t = part.trim();
      if (t !== '') out.push({ text: t, file: v.file, line });
    }
  });
  return out;
}

function compileEntry(e: Entry, what: string): RegExp {
  const expanded = expandHostTags(e.text);
  if (typeof expanded !== 'string') throw filterError(e.file, e.line, `${what}: ${expanded.error}`);
  const t = translatePythonRegex(expanded);
  if (!t.ok) throw filterError(e.file, e.line, `${what}: ${t.message}`);
  return new RegExp(t.source, t.flags);
}

/** The address a match names: ip4/ip6 (canonical), or an `<F-ID>` that is an address; never a host name. */
function addressOf(groups: Record<string, string | undefined> | undefined): string | undefined {
  if (!groups) return undefined;
  const raw = groups['ip4'] ?? groups['ip6'] ?? groups['fid'];
  if (raw === undefined) return undefined;
  return canonicalIp(raw);
}

/**
 * Reads and compiles a filter. `read` gives a file's text (undefined when absent); `name` is how the summary names
 * it; `now` places dates without a year. @throws AgentsecError (usage, one line, file:line) for anything it cannot read or translate.
 */
export function compileFail2banFilter(path: string, read: FileReader, name: string, now: () => number): CompiledFilter {
  const sections = readWithIncludes(path, read);
  const def = sections.get('Definition');
  if (!def) throw usageError(`${path}: no [Definition] section: not a fail2ban filter`);
  const values = new Map<string, IniValue & { section: string }>();
  for (const sec of ['DEFAULT', 'Definition', 'Init']) for (const [k, v] of sections.get(sec) ?? []) values.set(k, { ...v, section: sec });
  const cache = new Map<string, string>();
  const lookup = (tag: string): string | undefined => {
    const hit = cache.get(tag);
    if (hit !== undefined) return hit;
    const slash = tag.indexOf('/');
    let v: (IniValue & { section: string }) | undefined;
    if (slash > 0) {
      const s = sections.get(tag.slice(0, slash))?.get(tag.slice(slash + 1).toLowerCase());
      v = s ? { ...s, section: tag.slice(0, slash) } : undefined;
    } else v = values.get(tag.toLowerCase());
    // Keys are case-folded, so <HOST> (upper case) is a tag for expandHostTags, never a key.
    if (!v || (slash < 0 && tag !== tag.toLowerCase())) return undefined;
    const text = interpolate(sections, v.section, v);
    cache.set(tag, text);
    return text;
  };
  const maxlines = values.get('maxlines');
  if (maxlines && Number(interpolate(sections, maxlines.section, maxlines)) > 1) throw filterError(maxlines.file, maxlines.line, 'maxlines > 1 (multi-line matching) is not supported');
  const failEntries = entries(sections, 'Definition', 'failregex', lookup);
  if (failEntries.length === 0) throw usageError(`${path}: no failregex in [Definition]`);
  const failregex = failEntries.map((e) => compileEntry(e, 'failregex'));
  const ignoreregex = entries(sections, 'Definition', 'ignoreregex', lookup).map((e) => compileEntry(e, 'ignoreregex'));
  const pref = entries(sections, 'Definition', 'prefregex', lookup);
  const prefregex = pref[0] ? compileEntry({ ...pref[0], text: pref[0].text.replace(/<F-CONTENT>/g, '(?P<content>').replace(/<\/F-CONTENT>/g, ')') }, 'prefregex') : undefined;
  const dp = values.get('datepattern');
  let dates: DateFinder;
  try {
    dates = compileDatePattern(dp ? substituteTags(interpolate(sections, dp.section, dp), lookup, dp) : undefined);
  } catch (err) {
    throw dp ? filterError(dp.file, dp.line, (err as Error).message) : err;
  }
  // A line without a date takes the last date seen, as fail2ban does (continuation lines); before any, it cannot be placed.
  let lastAt: number | undefined;
  const classify = (line: string): LineVerdict => {
    let text = line;
    let at: number | undefined;
    if (!dates.none) {
      const found = dates.find(line, now());
      if (found) {
        text = found.rest;
        at = lastAt = found.at;
      } else if (lastAt !== undefined) at = lastAt;
      else return UNRECOGNISED;
    }
    if (prefregex) {
      const p = prefregex.exec(text);
      if (!p) return NEUTRAL;
      if (p.groups?.['content'] !== undefined) text = p.groups['content'];
    }
    let m: RegExpExecArray | null = null;
    for (const r of failregex) if ((m = r.exec(text))) break;
    if (!m) return NEUTRAL;
    for (const r of ignoreregex) if (r.test(text)) return NEUTRAL;
    if (m.groups?.['nofail'] !== undefined) return NEUTRAL;
    const ip = addressOf(m.groups);
    if (!ip) return UNRECOGNISED; // a host name (never resolved), or no address group at all
    return { kind: 'failure', ip, failure: 'auth', at };
  };
  return { format: 'fail2ban-filter', detail: name, failregex, ignoreregex, prefregex, dates, classify };
}
