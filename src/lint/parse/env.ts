import type { Position } from '../position.js';
import { interpolate } from './interpolate.js';

export interface EnvEntry {
  readonly key: string;
  /** The value after unquoting (and, for double quotes, escapes); undefined for a bare `KEY` line. */
  readonly raw: string | undefined;
  /** The value with `${VAR}` resolved against earlier entries; undefined when it depends on something unknown. */
  readonly value: string | undefined;
  readonly interpolated: boolean;
  readonly quoted: boolean;
  readonly at: Position;
  readonly valueAt: Position;
}

export interface EnvParseError {
  readonly message: string;
  readonly at: Position;
}

export interface ParsedEnv {
  readonly entries: EnvEntry[];
  readonly errors: EnvParseError[];
}

const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/**
 * Parses a `.env` file as Docker Compose and dotenv do: `KEY=value`, optional `export `, `#` comments (a trailing one
 * needs a space before it when unquoted; one where the value starts leaves the value empty), single quotes literal,
 * double quotes with escapes and across lines. A bad line is an error and parsing goes on.
 */
export function parseEnv(text: string): ParsedEnv {
  const entries: EnvEntry[] = [];
  const errors: EnvParseError[] = [];
  const known = new Map<string, string>();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const lead = line.length - line.trimStart().length;
    let rest = line.slice(lead);
    if (rest === '' || rest.startsWith('#')) continue;
    let col = lead + 1;
    if (/^export\s+/.test(rest)) {
      const m = /^export\s+/.exec(rest) as RegExpExecArray;
      rest = rest.slice(m[0].length);
      col += m[0].length;
    }
    const eq = rest.indexOf('=');
    const keyPart = (eq < 0 ? rest : rest.slice(0, eq)).trimEnd();
    if (!KEY.test(keyPart)) {
      errors.push({ message: eq < 0 ? 'expected KEY=VALUE' : `invalid variable name '${keyPart.slice(0, 40)}'`, at: { line: i + 1, column: col } });
      continue;
    }
    const at = { line: i + 1, column: col };
    if (eq < 0) {
      entries.push({ key: keyPart, raw: undefined, value: undefined, interpolated: false, quoted: false, at, valueAt: at });
      continue;
    }
    let valueText = rest.slice(eq + 1);
    const ws = valueText.length - valueText.trimStart().length;
    valueText = valueText.trimStart();
    const valueAt = { line: i + 1, column: col + eq + 1 + ws };
    let raw: string;
    let quoted = false;
    let literalQuote = false;
    const q = valueText[0];
    if (q === '"' || q === "'") {
      quoted = true;
      literalQuote = q === "'";
      let body = valueText.slice(1);
      let close = findClose(body, q);
      let j = i;
      while (close < 0 && q === '"' && j + 1 < lines.length) {
        j++;
        body += `\n${lines[j] as string}`;
        close = findClose(body, q);
      }
      if (close < 0) {
        errors.push({ message: `unterminated ${q === '"' ? 'double' : 'single'}-quoted value`, at: valueAt });
        continue;
      }
      i = j;
      raw = q === '"' ? unescape(body.slice(0, close)) : body.slice(0, close);
    } else if (valueText.startsWith('#')) {
      // `KEY=#comment` and `KEY= # comment`: dotenv reads a comment where the value would start, so the value is empty.
      raw = '';
    } else {
      const hash = valueText.search(/\s#/);
      raw = (hash >= 0 ? valueText.slice(0, hash) : valueText).trimEnd();
    }
    const r = literalQuote ? { value: raw, interpolated: false } : interpolate(raw, (n) => known.get(n));
    if (r.value !== undefined) known.set(keyPart, r.value);
    entries.push({ key: keyPart, raw, value: r.value, interpolated: r.interpolated, quoted, at, valueAt });
  }
  return { entries, errors };
}

function findClose(body: string, q: string): number {
  for (let k = 0; k < body.length; k++) {
    if (body[k] === '\\' && q === '"') {
      k++;
      continue;
    }
    if (body[k] === q) return k;
  }
  return -1;
}

function unescape(s: string): string {
  return s.replace(/\\([nrt"\\$])/g, (_m, c: string) => ({ n: '\n', r: '\r', t: '\t' })[c] ?? c);
}
