import { createRequire } from 'node:module';
import type { ChalkInstance } from 'chalk';
import { fitTable, truncate, type FitColumn } from './fit.js';

export interface OutStream {
  readonly isTTY: boolean;
  /** Terminal width when this is a TTY (undefined otherwise, or when unknown). */
  readonly columns?: number | undefined;
  /** True for a pipe or socket: a reader that may go away after part of the output (`| head`). */
  readonly isPipe?: boolean;
  write(text: string): void;
  /** Resolves once everything written so far has been handed to the system; rejects when writing failed. */
  flush?(): Promise<void>;
}

/** Version of every `--json` document's shape; bumped when a field changes meaning or disappears. */
export const SCHEMA_VERSION = 1;

export interface Column<Row> extends FitColumn {
  readonly header: string;
  readonly value: (row: Row) => string | number | boolean | null | undefined;
  /** Styling applied on a TTY after the value is cleaned of control characters (color a status). */
  readonly style?: (text: string, row: Row) => string;
}

export interface OutputOptions {
  readonly stdout: OutStream;
  readonly stderr: OutStream;
  readonly json: boolean;
  readonly quiet: boolean;
  readonly chalk: ChalkInstance;
}

/** Removes characters that could move the cursor or recolor a terminal (values may come from untrusted files). */
export function clean(value: unknown): string {
  if (value === null || value === undefined) return '';
  // eslint-disable-next-line no-control-regex
  return String(value).replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '?');
}

function cleanCell(value: unknown): string {
  return clean(value).replace(/[\t\n\r]/g, ' ');
}

/**
 * Renders plain result objects: a table on a TTY, tab-separated lines without color when piped, one JSON document
 * with `schemaVersion` under `--json`, JSON Lines for streams. Data goes to stdout, messages to stderr.
 */
export class Output {
  readonly json: boolean;
  readonly quiet: boolean;
  readonly chalk: ChalkInstance;
  private readonly stdout: OutStream;
  private readonly stderr: OutStream;

  constructor(opts: OutputOptions) {
    this.stdout = opts.stdout;
    this.stderr = opts.stderr;
    this.json = opts.json;
    this.quiet = opts.quiet;
    this.chalk = opts.chalk;
  }

  get isTTY(): boolean {
    return this.stdout.isTTY;
  }

  get stderrIsTTY(): boolean {
    return this.stderr.isTTY;
  }

  /** One `--json` document. */
  document(doc: Record<string, unknown>): void {
    this.stdout.write(`${JSON.stringify({ schemaVersion: SCHEMA_VERSION, ...doc }, null, 2)}\n`);
  }

  /** One JSON Lines record (streams: `audit log -f`, `blocks tail`). */
  record(obj: unknown): void {
    this.stdout.write(`${JSON.stringify(obj)}\n`);
  }

  /** A raw line of data on stdout (a generated secret, an id). */
  line(text: string): void {
    this.stdout.write(`${text}\n`);
  }

  /**
   * Rows as a table on a TTY, fitted to its width (cells truncated with an ellipsis where a column allows it, then
   * low-value columns left out, else one block per row), or tab-separated lines when piped (every column, whole).
   */
  table<Row>(columns: readonly Column<Row>[], rows: readonly Row[]): void {
    if (!this.stdout.isTTY) {
      for (const row of rows) this.line(columns.map((c) => cleanCell(c.value(row))).join('\t'));
      return;
    }
    const cells = rows.map((row) => columns.map((c) => cleanCell(c.value(row))));
    const headers = columns.map((c) => c.header);
    const width = this.stdout.columns;
    const layout = width === undefined ? { kind: 'table' as const, columns: columns.map((_, i) => i), widths: undefined } : fitTable(headers, cells, columns, width);
    const styled = (i: number, r: number, text: string) => {
      const c = columns[i] as Column<Row>;
      return c.style ? c.style(text, rows[r] as Row) : text;
    };
    if (layout.kind === 'vertical') {
      // Too narrow for any table: one block per row, every value whole.
      const pad = Math.max(...headers.map((h) => h.length));
      cells.forEach((row, r) => {
        if (r > 0) this.line('');
        row.forEach((text, i) => this.line(`${this.chalk.bold((headers[i] as string).padEnd(pad))}  ${styled(i, r, text)}`));
      });
      return;
    }
    const Table = createRequire(import.meta.url)('cli-table3') as typeof import('cli-table3');
    const table = new Table({
      head: layout.columns.map((i) => this.chalk.bold(truncate(headers[i] as string, layout.widths?.[layout.columns.indexOf(i)] ?? Infinity))),
      style: { head: [], border: [] },
      ...(layout.widths ? { colWidths: layout.widths.map((w) => w + 2), wordWrap: true, wrapOnWordBoundary: true } : {}),
    });
    const cut = (i: number, k: number, text: string) => (layout.widths && !columns[i]?.wrap ? truncate(text, layout.widths[k] as number) : text);
    cells.forEach((row, r) => table.push(layout.columns.map((i, k) => styled(i, r, cut(i, k, row[i] as string)))));
    this.stdout.write(`${table.toString()}\n`);
    const hidden = columns.length - layout.columns.length;
    if (hidden > 0) this.info(`${hidden === 1 ? 'column' : 'columns'} ${columns.filter((_, i) => !layout.columns.includes(i)).map((c) => c.header).join(', ')} left out to fit ${width} columns: widen the terminal, or pipe or use --json for everything`);
  }

  /** Aligned `key  value` lines on a TTY, `key<TAB>value` when piped. */
  pairs(entries: ReadonlyArray<readonly [string, unknown]>): void {
    if (!this.stdout.isTTY) {
      for (const [k, v] of entries) this.line(`${k}\t${cleanCell(v)}`);
      return;
    }
    const width = Math.max(0, ...entries.map(([k]) => k.length));
    for (const [k, v] of entries) this.line(`${this.chalk.dim(k.padEnd(width))}  ${clean(v)}`);
  }

  /** A progress or status message on stderr, silenced by `--quiet`. */
  info(message: string): void {
    if (!this.quiet) this.stderr.write(`${clean(message)}\n`);
  }

  /** A success message on stderr, silenced by `--quiet`. */
  success(message: string): void {
    if (!this.quiet) this.stderr.write(`${this.chalk.green('✓')} ${clean(message)}\n`);
  }

  warn(message: string): void {
    this.stderr.write(`${this.chalk.yellow('warning:')} ${clean(message)}\n`);
  }

  error(message: string): void {
    this.stderr.write(`${this.chalk.red('agentsec:')} ${clean(message)}\n`);
  }
}
