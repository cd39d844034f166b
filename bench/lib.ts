import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (benchmarks run from dist/bench). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = join(ROOT, 'bin', 'agentsec.js');

export interface Row {
  readonly label: string;
  readonly value: number;
  readonly unit: string;
  /** value / baseline value, measured in the same run. */
  readonly ratio?: number;
  /** The goal for the ratio or value, for the report line (e.g. "<= 1.2x"). */
  readonly goal?: string;
  readonly pass?: boolean;
}

export interface BenchResult {
  readonly name: string;
  readonly rows: readonly Row[];
  readonly notes?: readonly string[];
}

export interface Bench {
  readonly name: string;
  run(): Promise<BenchResult>;
}

export interface Timing {
  readonly medianMs: number;
  readonly minMs: number;
  readonly runs: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Times a whole command, `runs` times after one warm-up; fails loudly if the command fails. */
export function timeCommand(cmd: string, args: readonly string[], opts: { runs?: number; env?: NodeJS.ProcessEnv; input?: string; cwd?: string; okCodes?: readonly number[] } = {}): Timing {
  const runs = opts.runs ?? 15;
  const samples: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, [...args], { env: opts.env ?? process.env, input: opts.input ?? '', cwd: opts.cwd ?? ROOT, encoding: 'utf8' });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (!(opts.okCodes ?? [0]).includes(r.status ?? -1)) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr.trim()}`);
    if (i > 0) samples.push(ms);
  }
  return { medianMs: median(samples), minMs: Math.min(...samples), runs };
}

export function ratioRow(label: string, t: Timing, baseline: Timing, goal?: number): Row {
  const ratio = t.medianMs / baseline.medianMs;
  return { label, value: t.medianMs, unit: 'ms', ratio, ...(goal !== undefined ? { goal: `<= ${goal}x`, pass: ratio <= goal } : {}) };
}

export function printResult(r: BenchResult): void {
  process.stdout.write(`\n== ${r.name}\n`);
  const width = Math.max(...r.rows.map((x) => x.label.length));
  for (const row of r.rows) {
    const value = row.value >= 100 ? row.value.toFixed(0) : row.value.toFixed(2);
    const ratio = row.ratio !== undefined ? `  ${row.ratio.toFixed(2)}x` : '';
    const goal = row.goal ? `  goal ${row.goal} ${row.pass ? 'PASS' : 'MISS'}` : '';
    process.stdout.write(`${row.label.padEnd(width)}  ${value.padStart(10)} ${row.unit}${ratio}${goal}\n`);
  }
  for (const n of r.notes ?? []) process.stdout.write(`  note: ${n}\n`);
}
