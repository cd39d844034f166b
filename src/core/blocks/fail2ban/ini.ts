/**
 * fail2ban's configuration files, read the way its own reader (Python's configparser plus includes) reads them:
 * `[section]`s of `key = value` (or `key: value`), indented continuation lines, `#`/`;` comment lines, `;` inline
 * comments after a space, keys case-folded. `[INCLUDES]` `before`/`after` files (relative to the including file's
 * directory) and the file's own `.local` are merged in fail2ban's order; a later value replaces an earlier one,
 * which stays reachable as `%(known/key)s`. `%(key)s` interpolation and `%%` escapes are resolved per section.
 */
import { usageError, type AgentsecError } from '../../errors.js';

/** A value with where it was written, for errors that name file:line. */
export interface IniValue {
  readonly value: string;
  readonly file: string;
  /** The line of the key; continuation line i of the value is at `line + offsets[i]`. */
  readonly line: number;
  /** Line numbers of each line of the value. */
  readonly lines: readonly number[];
}

export type IniSections = Map<string, Map<string, IniValue>>;

/** An error in a filter file: one line, naming file:line. */
export function filterError(file: string, line: number, message: string): AgentsecError {
  return usageError(`${file}:${line}: ${message}`);
}

/** Parses one file's text. @throws AgentsecError (usage) naming file:line for a line that is none of the above. */
export function parseIni(text: string, file: string): IniSections {
  const sections: IniSections = new Map();
  let cur: Map<string, IniValue> | undefined;
  let key: string | undefined;
  let parts: string[] = [];
  let lines: number[] = [];
  let keyLine = 0;
  const flush = () => {
    if (cur && key !== undefined) {
      // Trailing blank lines of a multi-line value are not part of it.
      while (parts.length > 1 && parts[parts.length - 1] === '') {
        parts.pop();
        lines.pop();
      }
      cur.set(key, { value: parts.join('\n'), file, line: keyLine, lines });
    }
    key = undefined;
  };
  const rows = text.split('\n');
  for (let i = 0; i < rows.length; i++) {
    const n = i + 1;
    const raw = (rows[i] as string).replace(/\r$/, '');
    const trimmed = raw.trim();
    if (trimmed.startsWith('#') || trimmed.startsWith(';')) continue;
    const value = raw.replace(/\s;.*$/, '');
    if (value.trim() === '') {
      if (key !== undefined) {
        parts.push('');
        lines.push(n);
      }
      continue;
    }
    if (/^\s/.test(value) && key !== undefined) {
      parts.push(value.trim());
      lines.push(n);
      continue;
    }
    const sec = /^\[([^\]]+)\]\s*$/.exec(value);
    if (sec) {
      flush();
      const name = sec[1] as string;
      cur = sections.get(name) ?? new Map();
      sections.set(name, cur);
      continue;
    }
    const kv = /^([^=:\s][^=:]*?)\s*[=:]\s*(.*)$/.exec(value);
    if (!kv) throw filterError(file, n, `cannot read this line (expected [section], key = value, or an indented continuation)`);
    if (!cur) throw filterError(file, n, 'a key before any [section]');
    flush();
    key = (kv[1] as string).toLowerCase();
    keyLine = n;
    parts = [(kv[2] as string).trim()];
    lines = [n];
  }
  flush();
  return sections;
}

/** Reads a file's text, or undefined when it does not exist (a missing `.local` is normal). */
export type FileReader = (path: string) => string | undefined;

function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '.' : i === 0 ? '/' : path.slice(0, i);
}

function resolveIn(dir: string, name: string): string {
  return name.startsWith('/') ? name : `${dir === '/' ? '' : dir}/${name}`;
}

function localOf(path: string): string {
  return path.replace(/\.conf$/, '') + '.local';
}

function merge(into: IniSections, from: IniSections): void {
  for (const [name, values] of from) {
    if (name === 'INCLUDES') continue;
    const sec = into.get(name) ?? new Map<string, IniValue>();
    into.set(name, sec);
    for (const [k, v] of values) {
      const prev = sec.get(k);
      if (prev) sec.set(`known/${k}`, prev);
      sec.set(k, v);
    }
  }
}

const MAX_INCLUDE_DEPTH = 10;

/**
 * Reads a filter and everything it includes, merged. A missing `before`/`after` file is skipped as fail2ban skips
 * it; the filter itself must exist. @throws AgentsecError for a missing filter, a syntax error, an include loop.
 */
export function readWithIncludes(path: string, read: FileReader, depth = 0, seen: readonly string[] = []): IniSections {
  if (depth > MAX_INCLUDE_DEPTH || seen.includes(path)) throw usageError(`${path}: includes loop or nest deeper than ${MAX_INCLUDE_DEPTH} files`);
  const text = read(path);
  if (text === undefined) throw usageError(`${path}: no such filter file`);
  const own = parseIni(text, path);
  const out: IniSections = new Map();
  const inc = own.get('INCLUDES');
  const list = (k: string) => (inc?.get(k)?.value ?? '').split(/\s+/).filter((x) => x !== '');
  const include = (name: string) => {
    const p = resolveIn(dirOf(path), name);
    if (read(p) === undefined) return;
    merge(out, readWithIncludes(p, read, depth + 1, [...seen, path]));
  };
  for (const b of list('before')) include(b);
  merge(out, own);
  const local = localOf(path);
  if (local !== path && read(local) !== undefined) merge(out, readWithIncludes(local, read, depth + 1, [...seen, path]));
  for (const a of list('after')) include(a);
  return out;
}

const MAX_INTERPOLATION = 20;

/**
 * The value of `key` in `section` with `%(name)s` (same section, then DEFAULT), `%(section/name)s` and
 * `%(known/name)s` references resolved and `%%` made `%`. @throws AgentsecError (file:line) for a reference to
 * nothing or a reference loop.
 */
export function interpolate(sections: IniSections, section: string, v: IniValue, depth = 0): string {
  if (depth > MAX_INTERPOLATION) throw filterError(v.file, v.line, 'interpolation nests too deep (a %(name)s loop?)');
  return v.value.replace(/%\(([^)]+)\)s|%%/g, (all, name: string | undefined) => {
    if (name === undefined) return '%';
    const n = name.toLowerCase();
    let target: IniValue | undefined;
    let where = section;
    const slash = n.indexOf('/');
    if (n.startsWith('known/')) target = sections.get(section)?.get(n) ?? sections.get('DEFAULT')?.get(n);
    else if (slash > 0) {
      where = name.slice(0, slash);
      target = sections.get(where)?.get(n.slice(slash + 1));
    } else target = sections.get(section)?.get(n) ?? sections.get('DEFAULT')?.get(n);
    if (!target) {
      if (n.startsWith('known/')) return '';
      throw filterError(v.file, v.line, `%(${name})s refers to nothing defined`);
    }
    return interpolate(sections, where, target, depth + 1);
  });
}
