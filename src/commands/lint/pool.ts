import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { FileRef, LintPart } from '../../lint/engine.js';
import type { ProfileName } from '../../lint/profiles.js';
import type { RuleSetting } from '../../lint/profiles.js';

/** Below this many walked files a run stays in the main thread: starting workers costs more than it saves. */
export const POOL_MIN_FILES = 48;
// Many more chunks than workers, handed out as workers finish, so one slow corner of a tree does not leave a core idle.
const CHUNKS_PER_WORKER = 8;
const MAX_WORKERS = 8;

export interface WorkerSetup {
  readonly cwd: string;
  readonly files: readonly FileRef[];
  readonly profile: ProfileName;
  readonly ruleOverrides: Readonly<Record<string, RuleSetting>>;
}

export interface ChunkRequest {
  readonly chunk: number;
  readonly from: number;
  readonly to: number;
}

export interface ChunkResult {
  readonly chunk: number;
  readonly part: LintPart;
  readonly fileMs: Array<readonly [string, number]>;
}

/** How many workers a run of `files` walked files gets: none below the threshold or on one core. */
export function poolSize(files: number, cores = availableParallelism()): number {
  if (files < POOL_MIN_FILES || cores < 2) return 0;
  return Math.min(cores, MAX_WORKERS, Math.ceil(files / POOL_MIN_FILES));
}

/**
 * Checks a run in `workers` worker threads, a chunk of consecutive files at a time, and returns the parts in file
 * order (so the run-wide steps see them exactly as a run in one thread produces them) with each file's time.
 * `onChunk` is told how many files each finished chunk held, for progress. Rejects when a worker fails.
 */
export async function checkInWorkers(setup: WorkerSetup, workers: number, onChunk: (files: number) => void): Promise<{ parts: LintPart[]; fileMs: Map<string, number> }> {
  const n = setup.files.length;
  const size = Math.max(1, Math.ceil(n / (workers * CHUNKS_PER_WORKER)));
  const chunks: ChunkRequest[] = [];
  for (let from = 0, i = 0; from < n; from += size, i++) chunks.push({ chunk: i, from, to: Math.min(n, from + size) });
  const parts: LintPart[] = new Array<LintPart>(chunks.length);
  const fileMs = new Map<string, number>();
  let next = 0;
  const pool: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let done = 0;
      const give = (w: Worker): void => {
        const req = chunks[next++];
        if (req) w.postMessage(req);
      };
      for (let i = 0; i < Math.min(workers, chunks.length); i++) {
        const w = new Worker(new URL('./lint-worker.js', import.meta.url), { workerData: setup });
        pool.push(w);
        w.on('message', (r: ChunkResult) => {
          parts[r.chunk] = r.part;
          for (const [file, ms] of r.fileMs) fileMs.set(file, ms);
          const req = chunks[r.chunk] as ChunkRequest;
          onChunk(req.to - req.from);
          if (++done === chunks.length) resolve();
          else give(w);
        });
        w.on('error', reject);
        w.on('exit', (code) => {
          if (done < chunks.length) reject(new Error(`lint worker exited with code ${code}`));
        });
        give(w);
      }
    });
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return { parts, fileMs };
}
