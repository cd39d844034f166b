/**
 * A lossless `.env` parser and editor. The document keeps every physical line's exact bytes, so serialising an
 * unedited document gives back the input byte for byte (comments, blank lines, CRLF, a missing final newline,
 * a BOM, duplicate keys). Edits touch only the entries they change: their value, and the `=` joining it to the name.
 *
 * What an edit writes is read back the same by dotenv-style readers and by a POSIX shell sourcing the file
 * (`set -a; . ./.env`, as many deployment scripts do, often as root), and makes that shell run nothing: a value
 * goes right after `=` (`KEY= value` would run `value` as a command), never in backquotes (command substitution),
 * unquoted only when it has no character a shell treats specially, and `$` or a backquote inside double quotes is
 * escaped. Lines agentsec does not edit are kept as they are, whatever a shell would make of them.
 */

export type Quote = '"' | "'" | '`' | '';

export interface EnvEntry {
  readonly kind: 'entry';
  /** Exact source text of the entry, possibly several physical lines for a multi-line quoted value, without its final EOL. */
  raw: string;
  eol: string;
  readonly line: number;
  readonly key: string;
  readonly exported: boolean;
  quote: Quote;
  /** Offsets in `raw` of the value text (inside the quotes for a quoted value). */
  valueStart: number;
  valueEnd: number;
}

export interface EnvOther {
  /** `bare` is a name alone (`[export ]NAME`): Docker's env-file syntax for "pass it through from the environment". */
  readonly kind: 'blank' | 'comment' | 'bare';
  raw: string;
  eol: string;
  readonly line: number;
}

export type EnvLine = EnvEntry | EnvOther;

export interface EnvDocument {
  readonly bom: boolean;
  lines: EnvLine[];
}

export class EnvSyntaxError extends Error {
  readonly line: number;
  constructor(line: number, message: string) {
    super(`line ${line}: ${message}`);
    this.name = 'EnvSyntaxError';
    this.line = line;
  }
}

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ENTRY_HEAD_RE = /^([ \t]*)(export[ \t]+)?([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*=[ \t]*/;

/** True for a portable environment variable name (what `rotate` accepts). */
export function isValidName(name: string): boolean {
  return NAME_RE.test(name);
}

function splitPhysical(text: string): Array<{ text: string; eol: string }> {
  const out: Array<{ text: string; eol: string }> = [];
  const re = /\r\n|\n/g;
  let start = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    out.push({ text: text.slice(start, m.index), eol: m[0] });
    start = m.index + m[0].length;
  }
  if (start < text.length) out.push({ text: text.slice(start), eol: '' });
  return out;
}

/** Finds the closing quote in `s` from `from`; backslash escapes count only inside double quotes. */
function findClosingQuote(s: string, from: number, quote: Quote): number {
  for (let i = from; i < s.length; i++) {
    const c = s[i];
    if (quote === '"' && c === '\\') {
      i++;
      continue;
    }
    if (c === quote) return i;
  }
  return -1;
}

/**
 * Parses `.env` text. Throws {@link EnvSyntaxError} naming the first line that is neither blank, a comment nor a
 * `[export ]NAME=value` entry, or a quoted value that never closes.
 */
export function parseEnv(input: string): EnvDocument {
  const bom = input.startsWith('\uFEFF');
  const text = bom ? input.slice(1) : input;
  const phys = splitPhysical(text);
  const lines: EnvLine[] = [];
  for (let i = 0; i < phys.length; i++) {
    const p = phys[i] as { text: string; eol: string };
    const lineNo = i + 1;
    const trimmed = p.text.trim();
    if (trimmed === '') {
      lines.push({ kind: 'blank', raw: p.text, eol: p.eol, line: lineNo });
      continue;
    }
    if (trimmed.startsWith('#')) {
      lines.push({ kind: 'comment', raw: p.text, eol: p.eol, line: lineNo });
      continue;
    }
    if (/^[ \t]*(export[ \t]+)?[A-Za-z_][A-Za-z0-9_.-]*[ \t]*$/.test(p.text)) {
      lines.push({ kind: 'bare', raw: p.text, eol: p.eol, line: lineNo });
      continue;
    }
    const head = ENTRY_HEAD_RE.exec(p.text);
    if (!head) {
      const what = p.text.includes('=') ? 'invalid variable name before =' : 'expected NAME=value';
      throw new EnvSyntaxError(lineNo, what);
    }
    const key = head[3] as string;
    const exported = head[2] !== undefined;
    const at = head[0].length;
    const first = p.text[at];
    if (first === '"' || first === "'" || first === '`') {
      const quote = first as Quote;
      let raw = p.text;
      let eol = p.eol;
      let close = findClosingQuote(raw, at + 1, quote);
      // A quoted value may span physical lines; the entry then owns them all.
      while (close < 0 && i + 1 < phys.length) {
        const next = phys[++i] as { text: string; eol: string };
        raw = `${raw}${eol}${next.text}`;
        eol = next.eol;
        close = findClosingQuote(raw, at + 1, quote);
      }
      if (close < 0) throw new EnvSyntaxError(lineNo, `unterminated ${quote} quoted value for ${key}`);
      const rest = raw.slice(close + 1);
      if (!/^[ \t]*(#.*)?$/.test(rest)) throw new EnvSyntaxError(i + 1, `unexpected text after the closing quote of ${key}`);
      lines.push({ kind: 'entry', raw, eol, line: lineNo, key, exported, quote, valueStart: at + 1, valueEnd: close });
      continue;
    }
    // Unquoted: the value ends at an inline comment (whitespace then #) or trailing whitespace.
    const restText = p.text.slice(at);
    const comment = restText.startsWith('#') ? { index: 0 } : /[ \t]#/.exec(restText);
    const body = comment ? restText.slice(0, comment.index) : restText;
    const valueEnd = at + body.replace(/[ \t]+$/, '').length;
    lines.push({ kind: 'entry', raw: p.text, eol: p.eol, line: lineNo, key, exported, quote: '', valueStart: at, valueEnd });
  }
  return { bom, lines };
}

/** The document's text, byte for byte what was parsed when nothing was edited. */
export function serializeEnv(doc: EnvDocument): string {
  return (doc.bom ? '\uFEFF' : '') + doc.lines.map((l) => l.raw + l.eol).join('');
}

/** The encoded value text of an entry (between the quotes, escapes not decoded). */
export function rawValue(e: EnvEntry): string {
  return e.raw.slice(e.valueStart, e.valueEnd);
}

/**
 * The value as a program reading the file would see it: double-quote escapes decoded (`\n \r \t \" \\`, and
 * `\$` and `` \` ``, which a shell decodes too and which this editor writes to keep a shell from expanding them).
 */
export function entryValue(e: EnvEntry): string {
  const raw = rawValue(e);
  if (e.quote !== '"') return raw;
  return raw.replace(/\\([nrt"\\$`])/g, (_m, c: string) => ({ n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\', $: '$', '`': '`' })[c] as string);
}

export function entriesOf(doc: EnvDocument, key: string): EnvEntry[] {
  return doc.lines.filter((l): l is EnvEntry => l.kind === 'entry' && l.key === key);
}

/** The effective value of `key`: the last occurrence wins, as in dotenv and Docker Compose. */
export function getValue(doc: EnvDocument, key: string): string | undefined {
  const all = entriesOf(doc, key);
  const last = all[all.length - 1];
  return last ? entryValue(last) : undefined;
}

/**
 * Characters that a POSIX shell takes literally in an unquoted assignment and that no dotenv reader treats
 * specially. Left out, among others: whitespace (word splitting: the rest would run as a command), `; & | < > ( )`
 * (command syntax, redirection), `$` and backquote (expansion, command substitution), quotes and backslash, `#` (a
 * comment to some readers), `~` (tilde expansion). Every generated encoding (base64, base64url, hex, alnum) fits.
 */
const SHELL_LITERAL_UNQUOTED = /^[A-Za-z0-9_@%+=:,./-]*$/;

/**
 * Encodes `value` for a quoting style so that a shell sourcing the file reads back exactly `value` and runs nothing,
 * and a dotenv reader reads `value` too; undefined when that style cannot. Backquotes are never written: a shell
 * runs a backquoted value as a command. Double quotes hold anything: `\ " $` and backquote are escaped, newlines
 * and carriage returns are written as `\n` and `\r` (what dotenv readers decode; a shell reads them as two
 * characters, but runs nothing).
 */
export function encodeValue(value: string, quote: Quote): string | undefined {
  switch (quote) {
    case '':
      return SHELL_LITERAL_UNQUOTED.test(value) ? value : undefined;
    case "'":
      return /['\r\n]/.test(value) ? undefined : value;
    case '`':
      return undefined;
    case '"':
      return value.replace(/[\\"$`]/g, (c) => `\\${c}`).replace(/\n/g, '\\n').replace(/\r/g, '\\r');
  }
}

/**
 * True when the encoded text `raw` of a value in `quote` makes a shell sourcing the file run nothing and expand
 * nothing: unquoted without a shell metacharacter, single-quoted (always literal), double-quoted without an
 * unescaped `$` or backquote. Backquoted text never is.
 */
export function isShellInert(raw: string, quote: Quote): boolean {
  switch (quote) {
    case '':
      // No glob characters either: a shell following POSIX.1-2017 (dash before 0.5.11, for one) expands the words
      // after `export` like any arguments, so `export K=a*` would take the names of matching files.
      return /^[^\s;&|<>()$`\\"'~*?[]*$/.test(raw);
    case "'":
      return !raw.includes("'");
    case '`':
      return false;
    case '"':
      for (let i = 0; i < raw.length; i++) {
        const c = raw[i];
        if (c === '\\') i++;
        else if (c === '$' || c === '`') return false;
      }
      return true;
  }
}

const KEY_PART_RE = /^[ \t]*(?:export[ \t]+)?[A-Za-z_][A-Za-z0-9_.-]*/;

/**
 * Writes `encoded` (already encoded for `quote`) as the value of `e`. The value goes right after `=`: a shell reads
 * `KEY= value` as running `value` with KEY empty in its environment, and `KEY = value` as running `KEY`. A value
 * directly followed by `#` gets a space, so the comment stays a comment for every reader.
 */
function writeEntryValue(e: EnvEntry, quote: Quote, encoded: string): void {
  const outerEnd = e.quote === '' ? e.valueEnd : e.valueEnd + 1;
  const head = `${(KEY_PART_RE.exec(e.raw) as RegExpExecArray)[0]}=`;
  let rest = e.raw.slice(outerEnd);
  if (rest.startsWith('#')) rest = ` ${rest}`;
  e.raw = `${head}${quote}${encoded}${quote}${rest}`;
  e.quote = quote;
  e.valueStart = head.length + quote.length;
  e.valueEnd = e.valueStart + encoded.length;
}

/**
 * Sets one entry's value, keeping its quoting style when that style can hold the value safely (see
 * {@link encodeValue}); otherwise single quotes (literal for every reader), else double quotes.
 */
function setEntryValue(e: EnvEntry, value: string): void {
  const preferred: Quote = e.quote === '`' ? "'" : e.quote;
  for (const quote of [preferred, "'", '"'] as const) {
    const encoded = encodeValue(value, quote);
    if (encoded !== undefined) return writeEntryValue(e, quote, encoded);
  }
}

/** The line ending most of the file uses (LF for a file without any). */
export function dominantEol(doc: EnvDocument): string {
  let crlf = 0;
  let lf = 0;
  for (const l of doc.lines) {
    if (l.eol === '\r\n') crlf++;
    else if (l.eol === '\n') lf++;
  }
  return crlf > lf ? '\r\n' : '\n';
}

/**
 * Sets every occurrence of `key` to `value`, keeping each line's quoting and `export ` prefix. Every duplicate is
 * changed so that the old secret survives nowhere, whichever occurrence a reader honours. Returns how many changed.
 */
export function setValue(doc: EnvDocument, key: string, value: string): number {
  const all = entriesOf(doc, key);
  for (const e of all) setEntryValue(e, value);
  return all.length;
}

/**
 * Sets every occurrence of `key` to a value copied from another entry: verbatim (`raw`) where the quoting style is
 * the same and the text is inert in a shell ({@link isShellInert}), so that every reader of the file, whatever its
 * quirks with `#` or escapes, sees the same value in both; re-encoded safely from `decoded` otherwise.
 */
export function copyValue(doc: EnvDocument, key: string, from: { raw: string; quote: Quote; decoded: string }): number {
  const all = entriesOf(doc, key);
  for (const e of all) {
    // Verbatim only when a shell sourcing the file would run nothing there: the old line may have been
    // `KEY=$(cmd)` or backquoted; its previous value is then written afresh in a safe style.
    if (e.quote === from.quote && isShellInert(from.raw, from.quote)) writeEntryValue(e, from.quote, from.raw);
    else setEntryValue(e, from.decoded);
  }
  return all.length;
}

function makeEntry(key: string, value: string, like: { exported: boolean; quote: Quote } | undefined, eol: string): EnvEntry {
  const prefix = like?.exported ? 'export ' : '';
  const quote = like?.quote ?? '';
  const parsed = parseEnv(`${prefix}${key}=${quote}${quote}`).lines[0] as EnvEntry;
  const e: EnvEntry = { ...parsed, eol };
  setEntryValue(e, value);
  return e;
}

/**
 * Inserts `key=value` right after the last entry of `after` (styled like it), or at the end of the file.
 * A file without a final newline keeps that property: the new entry becomes the unterminated last line.
 */
export function insertValue(doc: EnvDocument, key: string, value: string, after?: string): void {
  const eol = dominantEol(doc);
  const anchors = after === undefined ? [] : entriesOf(doc, after);
  const anchor = anchors[anchors.length - 1];
  let index = anchor ? doc.lines.indexOf(anchor) : doc.lines.length - 1;
  // Appending after trailing blank lines would look odd; put a new key after the last non-blank line.
  if (!anchor) while (index >= 0 && doc.lines[index]?.kind === 'blank') index--;
  const prev = doc.lines[index];
  let newEol = eol;
  if (prev && prev.eol === '') {
    prev.eol = eol;
    newEol = '';
  }
  doc.lines.splice(index + 1, 0, makeEntry(key, value, anchor, newEol));
}

/** Removes every occurrence of `key`; returns how many. */
export function removeKey(doc: EnvDocument, key: string): number {
  const before = doc.lines.length;
  const kept = doc.lines.filter((l) => !(l.kind === 'entry' && l.key === key));
  const removed = before - kept.length;
  if (removed > 0) {
    const last = doc.lines[doc.lines.length - 1];
    // If the removed line was the unterminated last line, the new last line keeps the file's no-final-newline style.
    if (last && last.eol === '' && !kept.includes(last) && kept.length > 0) (kept[kept.length - 1] as EnvLine).eol = '';
    doc.lines = kept;
  }
  return removed;
}
