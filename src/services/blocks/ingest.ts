/**
 * `blocks ingest`: log lines to failures through the policy, in big batches, each one transaction with the read
 * position it reaches. A hot loop (its bench goal is ten times fail2ban-regex): the per-line work is synchronous, and
 * only a failure line awaits (most of them answered from the in-memory index without a query).
 */
import * as fs from 'node:fs';
import type { Readable } from 'node:stream';
import type { BlockRecord } from '../../core/blocks/block.js';
import { failureTime } from '../../core/blocks/failure-time.js';
import { classifierFor, detectFormat, detectJournald, type FormatSettings } from '../../core/blocks/formats/build.js';
import type { LineClassifier, LogFormatName } from '../../core/blocks/formats/types.js';
import type { FailureKind } from '../../core/blocks/policy.js';
import { runtimeError, usageError } from '../../core/errors.js';
import { parseIp, type IpAddress } from '../../core/net/index.js';
import { ioError } from '../../platform/fs.js';
import { sleepUnlessAborted } from '../../platform/sleep.js';
import type { Tx } from '../../store/store.js';
import { recordFailureIn, screenFailure, type BlocksDeps, type FailureOutcome } from './engine.js';
import { importDecision } from './ingest-decision.js';
import { emptyStats, type IngestStats } from './ingest-stats.js';
import { viewOf, type SyncedIndex, type TxView } from './index-sync.js';
import { isOverlong, LineFramer } from './line-framer.js';

export { emptyStats, formatCounts, type IngestStats } from './ingest-stats.js';

export interface IngestOptions {
  /** A format, or auto: detected from the first lines read (refused with a usage error when ambiguous). */
  readonly format: LogFormatName | 'auto';
  readonly settings: FormatSettings;
  /** Kept with each failure and block (`ingest:access.log`); imported decisions get `import:access.log`. */
  readonly source: string;
  readonly signal: AbortSignal;
  /** Called after each batch commits, for every block it created. */
  readonly onBlock?: (b: BlockRecord) => void;
  /** Called after each batch commits, with the counts so far (the CLI's progress line). */
  readonly onBatch?: (stats: Readonly<IngestStats>) => void;
  /** Poll interval while following (ms). */
  readonly pollMs?: number;
}

const CHUNK = 4 << 20;
const IP_MEMO_LIMIT = 100_000;

// Attackers repeat themselves: each distinct address text is parsed once (bounded).
const parsedIps = new Map<string, IpAddress | null>();
function ipOf(text: string): IpAddress | undefined {
  let ip = parsedIps.get(text);
  if (ip === undefined) {
    ip = parseIp(text) ?? null;
    if (parsedIps.size >= IP_MEMO_LIMIT) parsedIps.clear();
    parsedIps.set(text, ip);
  }
  return ip ?? undefined;
}

/** One batch's lines, read across the awaits of the failures the store counts. */
interface Batch {
  readonly lines: readonly string[];
  /** The clock, read once per batch under the write lock. */
  readonly now: number;
  /** The in-memory index and this transaction's view of it; without one, the store decides every failure. */
  readonly synced: SyncedIndex | undefined;
  readonly view: TxView | undefined;
  /** The next line to read. */
  next: number;
  readonly created: BlockRecord[];
}

/** A failure line the index could not decide (the store counts it), or a block decision to import. */
type Pending =
  | { readonly decision: false; readonly ip: IpAddress; readonly kind: FailureKind; readonly at: number }
  | { readonly decision: true; readonly ip: IpAddress; readonly at: number; readonly durationMs: number | null | undefined; readonly event: string };

function tally(stats: IngestStats, b: Batch, r: FailureOutcome): void {
  if (r.outcome === 'blocked') {
    stats.blocked++;
    b.created.push(r.block);
  } else if (r.outcome === 'already-blocked') stats.alreadyBlocked++;
  else if (r.outcome === 'allowlisted') stats.allowlisted++;
}

/**
 * Reads lines from `b.next` on until one holds a failure the store must count, and returns it (undefined at the end
 * of the batch). Synchronous: the per-line work of a million-line log stays in a plain loop, which the engine
 * optimizes as it runs, and failures the index decides (an address already blocked: most of them under attack)
 * cost no await.
 */
function scan(d: BlocksDeps, b: Batch, classifier: LineClassifier, stats: IngestStats): Pending | undefined {
  const rules = d.policy;
  const { lines, now, synced, view } = b;
  while (b.next < lines.length) {
    let line = lines[b.next++] as string;
    if (line.length === 0) continue;
    if (line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
    stats.lines++;
    if (isOverlong(line)) {
      stats.overlong++;
      continue;
    }
    const v = classifier.classify(line);
    if (v.kind === 'neutral') {
      stats.neutral++;
      continue;
    }
    const ip = v.kind === 'unrecognised' ? undefined : ipOf(v.ip);
    if (v.kind === 'unrecognised' || !ip) {
      stats.unrecognised++;
      continue;
    }
    stats.matched++;
    // A decision is not a failure in a window: its own time and duration say whether it still holds.
    if (v.kind === 'decision') return { decision: true, ip, at: v.at === undefined ? now : Math.min(v.at, now), durationMs: v.durationMs, event: v.event };
    const t = failureTime(v.at, now, rules.findTimeMs);
    if (t.kind === 'too-old') {
      stats.tooOld++;
      continue;
    }
    if (t.futureDated) stats.futureDated++;
    stats.failures++;
    const decided = synced && view ? screenFailure(d, synced, view, ip, t.at) : undefined;
    if (decided === undefined) return { decision: false, ip, kind: v.failure, at: t.at };
    if (decided === 'allowlisted') stats.allowlisted++;
    else stats.alreadyBlocked++;
  }
  return undefined;
}

/**
 * Applies complete lines to the policy in one transaction, together with `commit` (the new read position), so a
 * crash or a concurrent run never counts a line twice or skips one. The clock is read under the write lock, and the
 * index is brought up to date there first (blocks made by other processes since the last batch, so none is missed).
 */
/** The classifier of a run: given, or detected from the first batch's lines (never guessed: see detectFormat). */
function classifierOf(opts: IngestOptions, lines: readonly string[], stats: IngestStats): LineClassifier {
  let c: LineClassifier;
  try {
    if (opts.format !== 'auto' && !needsDetection(opts)) c = classifierFor({ format: opts.format }, opts.settings);
    else if (opts.settings.filter) c = opts.settings.filter;
    else {
      // Overlong lines are skipped anyway: not worth parsing to tell the format.
      const sample = lines.filter((l) => !isOverlong(l));
      const det = opts.format === 'journald' ? detectJournald(sample, opts.settings) : detectFormat(sample, opts.settings);
      if (!det.ok) throw usageError(`${opts.source.replace(/^ingest:/, '')}: ${det.message}`);
      c = classifierFor(det.choice, opts.settings);
    }
  } catch (err) {
    if (err instanceof Error && err.name === 'AgentsecError') throw err;
    throw usageError((err as Error).message);
  }
  stats.format = c.format;
  stats.formatDetail = c.detail;
  return c;
}

/** The run's classifier: made at the start when the format is given (so a bad map fails even with nothing to read), else on the first batch. */
interface Run {
  classifier: LineClassifier | undefined;
}

/** Auto, or journald whose messages' format is not given: decided from the first lines. */
function needsDetection(opts: IngestOptions): boolean {
  return (opts.format === 'auto' && !opts.settings.filter) || (opts.format === 'journald' && !opts.settings.messageFormat);
}

function startRun(opts: IngestOptions, stats: IngestStats): Run {
  return { classifier: needsDetection(opts) ? undefined : classifierOf(opts, [], stats) };
}

async function applyLines(d: BlocksDeps, run: Run, text: string, opts: IngestOptions, stats: IngestStats, commit?: (tx: Tx) => Promise<void>): Promise<void> {
  const lines = text.split('\n');
  const created: BlockRecord[] = [];
  const synced = d.synced;
  const classifier = (run.classifier ??= classifierOf(opts, lines, stats));
  await d.store.transaction(async (tx) => {
    const b: Batch = { lines, now: d.clock().getTime(), synced, view: synced ? await viewOf(synced, tx) : undefined, next: 0, created };
    for (let p = scan(d, b, classifier, stats); p; p = scan(d, b, classifier, stats)) {
      if (p.decision) {
        const block = await importDecision(d, tx, b.now, p, opts.source, stats);
        if (block) created.push(block);
      }
      else tally(stats, b, await recordFailureIn(d, tx, p.ip, p.kind, { at: p.at, source: opts.source, reason: null }));
    }
    if (commit) await commit(tx);
  });
  if (opts.onBlock) for (const b of created) opts.onBlock(b);
  opts.onBatch?.(stats);
}

/**
 * Reads lines from a stream (stdin): no position to remember. A last line without a newline counts at the end. A
 * line longer than the limit is dropped as it streams by (see LineFramer), never gathered.
 */
export async function ingestStream(d: BlocksDeps, stream: Readable, opts: IngestOptions): Promise<IngestStats> {
  const stats = emptyStats();
  const run = startRun(opts, stats);
  const framer = new LineFramer();
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : (chunk as Buffer);
    stats.bytes += buf.length;
    const f = framer.push(buf);
    countOverlong(stats, f.overlong);
    if (f.end >= 0) await applyLines(d, run, f.text, opts, stats);
    if (opts.signal.aborted) return stats;
  }
  const last = framer.finish();
  countOverlong(stats, last.overlong);
  if (last.text.length > 0) await applyLines(d, run, last.text, opts, stats);
  return stats;
}

function countOverlong(stats: IngestStats, n: number): void {
  stats.lines += n;
  stats.overlong += n;
}

interface Open {
  fd: number;
  dev: string;
  ino: string;
}

function openLog(path: string): Open {
  try {
    const fd = fs.openSync(path, 'r');
    const st = fs.fstatSync(fd);
    if (!st.isFile()) {
      fs.closeSync(fd);
      throw runtimeError(`${path} is not a regular file: give a log file or - for stdin`);
    }
    return { fd, dev: String(st.dev), ino: String(st.ino) };
  } catch (err) {
    throw ioError(err, path, 'read');
  }
}

/**
 * Reads a log file from where the last run stopped (per real path, with its device and inode, so a rotated or
 * truncated file starts again from the top), in 4 MiB batches. With `follow`, keeps reading like `tail -F`:
 * survives rotation (drains the old file, then opens the new one) and truncation, until the signal aborts.
 * A last line without its newline is left for the next read: the writer may be halfway through it. The position
 * saved is always the start of a line, so an overlong line that has not ended yet is scanned again by the next run
 * rather than having its tail read as a line of its own.
 */
export async function ingestFile(d: BlocksDeps, path: string, follow: boolean, opts: IngestOptions): Promise<IngestStats> {
  const stats = emptyStats();
  const run = startRun(opts, stats);
  const key = fs.realpathSync(path);
  let cur = openLog(path);
  const saved = await d.store.blocks.position(key);
  const size = fs.fstatSync(cur.fd).size;
  // `readAt`: the next byte to read; everything before it up to the last newline has been applied.
  let readAt = saved && saved.dev === cur.dev && saved.ino === cur.ino && saved.offset <= size ? saved.offset : 0;
  const framer = new LineFramer();
  const buf = Buffer.allocUnsafe(CHUNK);
  try {
    for (;;) {
      const n = fs.readSync(cur.fd, buf, 0, CHUNK, readAt);
      if (n > 0) {
        const f = framer.push(buf.subarray(0, n));
        countOverlong(stats, f.overlong);
        if (f.end >= 0) {
          const pos = { dev: cur.dev, ino: cur.ino, offset: readAt + f.end };
          await applyLines(d, run, f.text, opts, stats, (tx) => tx.blocks.setPosition(key, pos, d.clock().getTime()));
        }
        readAt += n;
        stats.bytes += n;
        if (opts.signal.aborted) break;
        continue;
      }
      if (!follow || opts.signal.aborted) break;
      await sleepUnlessAborted(opts.pollMs ?? 250, opts.signal);
      if (opts.signal.aborted) break;
      let st: fs.Stats;
      try {
        st = fs.statSync(path);
      } catch {
        continue; // rotated away and not yet recreated
      }
      if (String(st.ino) !== cur.ino || String(st.dev) !== cur.dev) {
        // Rotated: whatever the writer added to the old file before the rename was read above (n was 0).
        fs.closeSync(cur.fd);
        cur = openLog(path);
        readAt = 0;
        framer.reset();
      } else if (st.size < readAt) {
        readAt = 0; // truncated in place (copytruncate)
        framer.reset();
      }
    }
  } finally {
    fs.closeSync(cur.fd);
  }
  return stats;
}
