import { KEY_SEARCH_PATTERN, parseApiKey } from './format.js';

export interface KeyFinding {
  /** 1-based. */
  readonly line: number;
  /** 1-based, in UTF-16 code units of that line. */
  readonly column: number;
  readonly key: string;
}

/**
 * Finds agentsec-format keys in text. Only checksum-valid candidates count, so a random 43-character token
 * next to an underscore is never reported: no false alarms in CI.
 */
export function findApiKeys(text: string): KeyFinding[] {
  const out: KeyFinding[] = [];
  const re = new RegExp(KEY_SEARCH_PATTERN.source, 'g');
  let lineStart = 0;
  let line = 1;
  let scanned = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (!parseApiKey(m[0]).ok) continue;
    for (let nl = text.indexOf('\n', scanned); nl !== -1 && nl < m.index; nl = text.indexOf('\n', nl + 1)) {
      line++;
      lineStart = nl + 1;
    }
    scanned = m.index;
    out.push({ line, column: m.index - lineStart + 1, key: m[0] });
  }
  return out;
}
