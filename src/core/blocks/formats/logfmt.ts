/**
 * `key=value` lines (logfmt): `time=2026-12-02T01:00:00Z level=warn event=AUTH_FAILED ip=203.0.113.5 msg="bad key"`.
 * Values may be double-quoted with `\"` escapes. Words without `=` (a leading date, a level, a tag) are skipped; a
 * leading ISO date is taken as the time when no time field is mapped.
 */
import { classifyRecord, type MappedOptions } from './field-map.js';
import { UNRECOGNISED, type LineClassifier, type LineVerdict } from './types.js';

const KEY = /[A-Za-z_@][\w.@-]*/y;

/** The pairs of a logfmt line (the first of a repeated key wins), or undefined when it has fewer than two. */
export function parseLogfmt(line: string): Map<string, string> | undefined {
  const out = new Map<string, string>();
  let i = 0;
  const n = line.length;
  while (i < n) {
    while (i < n && line.charCodeAt(i) === 32) i++;
    if (i >= n) break;
    KEY.lastIndex = i;
    const k = KEY.exec(line);
    if (k && line.charCodeAt(i + k[0].length) === 61) {
      let j = i + k[0].length + 1;
      let value = '';
      if (line.charCodeAt(j) === 34) {
        j++;
        let closed = false;
        for (; j < n; j++) {
          const c = line.charCodeAt(j);
          if (c === 92 && j + 1 < n) {
            value += line[++j];
            continue;
          }
          if (c === 34) {
            closed = true;
            j++;
            break;
          }
          value += line[j];
        }
        if (!closed) return undefined; // an unterminated quote: not a logfmt line
      } else {
        const end = line.indexOf(' ', j);
        value = line.slice(j, end < 0 ? n : end);
        j = end < 0 ? n : end;
      }
      if (!out.has(k[0])) out.set(k[0], value);
      i = j;
      continue;
    }
    // A bare word: skip it (and a quoted phrase as one word).
    const end = line.indexOf(' ', i);
    i = end < 0 ? n : end;
  }
  return out.size >= 2 ? out : undefined;
}

const LEADING_DATE = /^\[?(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?)\]? /;

export function classifyLogfmt(line: string, o: MappedOptions): LineVerdict {
  if (line.charCodeAt(0) === 123) return UNRECOGNISED; // JSON is not logfmt, whatever `=` it holds
  const pairs = parseLogfmt(line);
  if (!pairs) return UNRECOGNISED;
  const lead = LEADING_DATE.exec(line)?.[1];
  return classifyRecord((name) => pairs.get(name) ?? (lead !== undefined && o.fields.time.includes(name) ? lead.replace(',', '.') : undefined), o);
}

export function logfmtClassifier(detail: string, o: MappedOptions): LineClassifier {
  return { format: 'logfmt', detail, classify: (line) => classifyLogfmt(line, o) };
}
