import * as fs from 'node:fs';
import type { Readable } from 'node:stream';
import type { BlockRecord } from '../core/blocks/block.js';
import { parseLogLine, type LogFormat } from '../core/blocks/log-line.js';
import { runtimeError } from '../core/errors.js';
import { parseIp, type IpAddress } from '../core/net/index.js';
import { ioError } from '../platform/fs.js';
import { recordFailureTx, type BlocksEngine } from './engine.js';
import { syncIndex } from './index-sync.js';
import { sleepUnlessAborted } from '../platform/sleep.js';

export interface IngestStats {
  lines: number;
  failures: number;
  malformed: number;
  blocked: number;
  alreadyBlocked: number;
  allowlisted: number;
}

export interface IngestOptions {
  readonly format: LogFormat;
  readonly source: string;
  readonly clock: () => number;
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

export function emptyStats(): IngestStats {
  return { lines: 0, failures: 0, malformed: 0, blocked: 0, alreadyBlocked: 0, allowlisted: 0 };
}

/**
 * Applies complete lines to the policy in one immediate transaction, together with `commit` (the new read
 * position), so a crash or a concurrent run never counts a line twice or skips one.
 */
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

function applyLines(e: BlocksEngine, text: string, opts: IngestOptions, stats: IngestStats, commit: () => void): void {
  const lines = text.split('\n');
  const rules = e.policy;
  const created: BlockRecord[] = [];
  e.db
    .transaction(() => {
      const now = opts.clock();
      // Blocks made by other processes since the last batch, read under the write lock so none is missed.
      if (e.synced) syncIndex(e.repo, e.synced);
      for (let line of lines) {
        if (line.length === 0) continue;
        if (line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
        stats.lines++;
        const v = parseLogLine(line, opts.format, rules);
        if (v.kind === 'other') continue;
        const ip = v.kind === 'failure' ? ipOf(v.ip) : undefined;
        if (v.kind === 'malformed' || !ip) {
          stats.malformed++;
          continue;
        }
        stats.failures++;
        const r = recordFailureTx(e, ip, v.failure, { at: v.at ?? now, source: opts.source, reason: null });
        if (r.outcome === 'blocked') {
          stats.blocked++;
          created.push(r.block);
        } else if (r.outcome === 'already-blocked') stats.alreadyBlocked++;
        else if (r.outcome === 'allowlisted') stats.allowlisted++;
      }
      commit();
    })
    .immediate();
  if (opts.onBlock) for (const b of created) opts.onBlock(b);
  opts.onBatch?.(stats);
}

/**
 * Ingest commits big batches with their read position in the same transaction. In WAL mode with synchronous=NORMAL
 * a power cut may lose the last batches, but never half of one: the position rolls back with the failures, blocks
 * and audit entries it covered, and the next run reads those lines again. That is worth an fsync per batch saved.
 */
function relaxSync(e: BlocksEngine): void {
  e.db.pragma('synchronous = NORMAL');
}


/** Reads lines from a stream (stdin): no position to remember. A last line without a newline counts at the end. */
export async function ingestStream(e: BlocksEngine, stream: Readable, opts: IngestOptions): Promise<IngestStats> {
  const stats = emptyStats();
  relaxSync(e);
  let carry = '';
  for await (const chunk of stream) {
    const text = carry + (typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8'));
    const nl = text.lastIndexOf('\n');
    if (nl < 0) {
      carry = text;
      continue;
    }
    carry = text.slice(nl + 1);
    applyLines(e, text.slice(0, nl), opts, stats, () => {});
    if (opts.signal.aborted) return stats;
  }
  if (carry.length > 0) applyLines(e, carry, opts, stats, () => {});
  return stats;
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
 * A last line without its newline is left for the next read: the writer may be halfway through it.
 */
export async function ingestFile(e: BlocksEngine, path: string, follow: boolean, opts: IngestOptions): Promise<IngestStats> {
  const stats = emptyStats();
  relaxSync(e);
  const key = fs.realpathSync(path);
  let cur = openLog(path);
  const saved = e.repo.position(key);
  const size = fs.fstatSync(cur.fd).size;
  let offset = saved && saved.dev === cur.dev && saved.ino === cur.ino && saved.offset <= size ? saved.offset : 0;
  let carry: Buffer = Buffer.alloc(0);
  const buf = Buffer.allocUnsafe(CHUNK);
  try {
    for (;;) {
      const n = fs.readSync(cur.fd, buf, 0, CHUNK, offset + carry.length);
      if (n > 0) {
        const data = carry.length ? Buffer.concat([carry, buf.subarray(0, n)]) : buf.subarray(0, n);
        const nl = data.lastIndexOf(10);
        if (nl < 0) {
          carry = Buffer.from(data);
          continue;
        }
        const next = offset + nl + 1;
        const pos = { dev: cur.dev, ino: cur.ino, offset: next };
        applyLines(e, data.toString('utf8', 0, nl), opts, stats, () => e.repo.setPosition(key, pos, opts.clock()));
        offset = next;
        carry = Buffer.from(data.subarray(nl + 1));
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
        offset = 0;
        carry = Buffer.alloc(0);
      } else if (st.size < offset + carry.length) {
        offset = 0; // truncated in place (copytruncate)
        carry = Buffer.alloc(0);
      }
    }
  } finally {
    fs.closeSync(cur.fd);
  }
  return stats;
}
