/** What a table column may give up when the terminal is too narrow. */
export interface FitColumn {
  /** Never truncated: an id, a rule id, a key id must be copied whole. */
  readonly keep?: boolean;
  /** Dropped when nothing else helps, highest first; never dropped when absent. */
  readonly drop?: number;
  /** Narrowest width a cell may get (default 8, and never narrower than the header). */
  readonly min?: number;
  /** Wrapped onto more lines instead of cut: details that say how to fix something, paths, messages. */
  readonly wrap?: boolean;
}

export type TableLayout =
  | { readonly kind: 'table'; readonly columns: readonly number[]; readonly widths: readonly number[] }
  | { readonly kind: 'vertical' };

/** Display width of a string without color codes (one cell per code point: agentsec prints no wide characters). */
export function displayWidth(text: string): number {
  // eslint-disable-next-line no-control-regex
  return [...text.replace(/\u001b\[[0-9;]*m/g, '')].length;
}

/** Cuts plain text to `width` cells, with an ellipsis when something was cut. */
export function truncate(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  return width <= 1 ? '…'.slice(0, width) : `${chars.slice(0, width - 1).join('')}…`;
}

/** Width of a cli-table3 table: each cell has one space of padding either side, and a border between and around. */
export function tableWidth(widths: readonly number[]): number {
  return widths.reduce((n, w) => n + w + 2, 0) + widths.length + 1;
}

/**
 * Fits a table into `maxWidth` columns: first truncate the cells of columns that may be cut (widest first, never below
 * their minimum), then drop low-value columns one by one, and if even that cannot fit the kept columns, answer
 * `vertical` (one `HEADER  value` block per row), which never cuts anything.
 */
export function fitTable(headers: readonly string[], rows: ReadonlyArray<readonly string[]>, specs: readonly FitColumn[], maxWidth: number): TableLayout {
  const natural = headers.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))));
  let columns = headers.map((_, i) => i);
  for (;;) {
    const widths = columns.map((i) => natural[i] as number);
    // A truncated column keeps at least its header (or its minimum, if wider) visible.
    const floor = columns.map((i) => (specs[i]?.keep ? (natural[i] as number) : Math.min(natural[i] as number, Math.max(specs[i]?.min ?? 8, displayWidth(headers[i] as string)))));
    // Take one cell at a time from the widest column that can still give, until the table fits or none can.
    while (tableWidth(widths) > maxWidth) {
      let widest = -1;
      for (let k = 0; k < widths.length; k++) if ((widths[k] as number) > (floor[k] as number) && (widest < 0 || (widths[k] as number) > (widths[widest] as number))) widest = k;
      if (widest < 0) break;
      widths[widest] = (widths[widest] as number) - 1;
    }
    if (tableWidth(widths) <= maxWidth) return { kind: 'table', columns, widths };
    const droppable = columns.filter((i) => specs[i]?.drop !== undefined).sort((a, b) => (specs[b]?.drop as number) - (specs[a]?.drop as number));
    if (droppable.length === 0) return { kind: 'vertical' };
    columns = columns.filter((i) => i !== droppable[0]);
  }
}

/** Wraps plain text at spaces to lines of at most `width` cells (a longer word is cut where it must be). */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    let w = word;
    while ([...w].length > width) {
      if (line) (lines.push(line), (line = ''));
      lines.push([...w].slice(0, width).join(''));
      w = [...w].slice(width).join('');
    }
    if (!w) continue;
    if (!line) line = w;
    else if ([...line].length + 1 + [...w].length <= width) line += ` ${w}`;
    else (lines.push(line), (line = w));
  }
  if (line) lines.push(line);
  return lines.length ? lines : [''];
}
