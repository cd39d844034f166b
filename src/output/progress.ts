import type { OutStream } from './output.js';

export interface Progress {
  /** Reports `done` units (of `total` when known) and an optional detail (a rate); drawn at most every 100 ms. */
  update(done: number, total?: number, detail?: string): void;
  /** Clears the progress line. */
  end(): void;
}

const NONE: Progress = { update: () => {}, end: () => {} };

/**
 * A progress line on stderr for long runs (lint of a big tree, verify or export of a big chain, ingest of a big log):
 * only when stderr is a terminal and neither --quiet nor --json was given, so pipes, logs and CI output never
 * see it; not before `delayMs`, so short runs never flicker; overwritten in place and cleared at the end.
 */
export function progress(stderr: OutStream, opts: { label: string; unit: string; quiet: boolean; json: boolean; delayMs?: number; now?: () => number }): Progress {
  if (!stderr.isTTY || opts.quiet || opts.json) return NONE;
  const now = opts.now ?? Date.now;
  const start = now();
  let last = 0;
  let drawn = false;
  return {
    update(done, total, detail) {
      const t = now();
      if (t - start < (opts.delayMs ?? 500) || t - last < 100) return;
      last = t;
      drawn = true;
      const pct = total ? ` (${Math.min(100, Math.floor((100 * done) / total))}%)` : '';
      const text = `${opts.label} ${done}${total ? `/${total}` : ''} ${opts.unit}${pct}${detail ? `, ${detail}` : ''}`;
      const width = stderr.columns;
      stderr.write(`\r${width ? text.slice(0, width - 1) : text}\u001b[K`);
    },
    end() {
      if (drawn) stderr.write('\r\u001b[K');
      drawn = false;
    },
  };
}
