import { formatDuration } from '../duration.js';
import { parseNote, verifyNoteSignature, type Checkpoint, type ParsedNote } from './checkpoint.js';
import { chainFields, hashCanon, ZERO_HASH } from './entry.js';
import { fingerprint } from './keys.js';
import { DEFAULT_CLOCK_SKEW_MS, type KeyReset, type Problem, type VerifyOptions, type VerifyReport, type VerifyState } from './verify-types.js';

export type { KeyReset, Problem, ProblemKind, VerifyOptions, VerifyReport, VerifyState } from './verify-types.js';

interface Boundary {
  readonly cp: Checkpoint;
  readonly authentic: boolean;
}

/**
 * Verifies an audit chain as a stream: checkpoints first (few), then entries in stored order (many), so memory stays
 * flat however long the chain. Every problem is reported with its kind and the seq or epoch it is located at.
 */
export class ChainVerifier {
  private readonly opts: VerifyOptions;
  private readonly skew: number;
  private readonly problems: Problem[] = [];
  private readonly resets: KeyReset[] = [];
  private moreProblems = 0;
  private boundaries: Boundary[] = [];
  private origin: string | null = null;
  private bi = 0;
  private startPosition = 0;
  /** The last position fed (the seq column, or an export entry's place), before any exact copy is discounted. */
  private lastRaw = -1;
  /** Exact copies that took a position of their own: later positions are this much too high. */
  private offset = 0;
  private copyPending = false;
  private lastCol = -1;
  private prevHash = ZERO_HASH;
  private prevCanon: string | undefined;
  private prevHashOk = true;
  private prevCanonSeq = -1;
  private prevTs = Number.NEGATIVE_INFINITY;
  private prevDisplaced = false;
  private runShift = 0;
  private checked = 0;
  private future: { from: number; to: number; ahead: number } | undefined;

  constructor(opts: VerifyOptions) {
    this.opts = opts;
    this.skew = opts.clockSkewMs ?? DEFAULT_CLOCK_SKEW_MS;
  }

  private report(p: Problem): void {
    if (this.problems.length < (this.opts.maxProblems ?? 1000)) this.problems.push(p);
    else this.moreProblems++;
  }

  /** Feeds every checkpoint note, in stored order, before any entry. */
  checkpoints(rows: Iterable<{ readonly epoch: number; readonly note: string }>): void {
    let expected = 0;
    let authentic = true;
    let prev: Checkpoint | undefined;
    for (const row of rows) {
      const parsed = parseNote(row.note);
      if (!parsed.ok) {
        this.report({ kind: 'bad-signature', epoch: row.epoch, detail: `checkpoint note is unreadable (${parsed.reason})` });
        authentic = false;
        continue;
      }
      const cp = parsed.checkpoint;
      if (this.origin === null) this.origin = cp.origin;
      if (cp.epoch < expected) {
        this.report({ kind: 'duplicate', epoch: cp.epoch, detail: `a second checkpoint for epoch ${cp.epoch}` });
        continue;
      }
      if (cp.epoch > expected) {
        this.report({ kind: 'checkpoint-missing', epoch: expected, detail: cp.epoch - expected > 1 ? `checkpoints for epochs ${expected}..${cp.epoch - 1} are missing` : `the checkpoint for epoch ${expected} is missing` });
        // The key for this epoch was vouched for by the missing checkpoint: nothing after it can be authenticated.
        authentic = false;
      }
      if (cp.reset !== undefined) {
        authentic = this.checkReset(parsed, prev);
      } else if (authentic && !(prev ? verifyNoteSignature(parsed, prev.nextKey) : this.opts.trustedKeys.some((k) => verifyNoteSignature(parsed, k)))) {
        this.report({ kind: 'bad-signature', epoch: cp.epoch, detail: cp.epoch === 0 ? 'checkpoint 0 is not signed by the trusted public key (wrong --pubkey, or the key in the store was replaced)' : `checkpoint ${cp.epoch} is not signed by the key checkpoint ${cp.epoch - 1} vouched for` });
        authentic = false;
      }
      if (cp.origin !== this.origin) this.report({ kind: 'modified', epoch: cp.epoch, detail: `checkpoint origin '${cp.origin}' differs from '${this.origin}'` });
      if (prev && cp.time < prev.time) this.report({ kind: 'time-regression', epoch: cp.epoch, detail: `checkpoint time goes back ${prev.time - cp.time} ms` });
      if (prev && cp.size < prev.size) this.report({ kind: 'modified', epoch: cp.epoch, detail: `checkpoint size ${cp.size} is below the previous ${prev.size}` });
      // A checkpoint dated ahead would also silence checkpoints-stopped for as long as it stays "newest".
      if (cp.time > this.opts.now + this.skew) this.report({ kind: 'future-dated', epoch: cp.epoch, detail: `checkpoint ${cp.epoch} is dated ${formatDuration(cp.time - this.opts.now)} ahead of this clock (tolerance ${formatDuration(this.skew)})` });
      this.boundaries.push({ cp, authentic });
      expected = cp.epoch + 1;
      prev = cp;
    }
    this.checkState();
    const since = this.opts.sinceEpoch ?? 0;
    if (since > 0) {
      const before = [...this.boundaries].reverse().find((b) => b.cp.epoch < since);
      if (before) {
        this.startPosition = before.cp.size;
        this.lastCol = before.cp.size - 1;
        this.prevHash = before.cp.head;
        this.prevCanonSeq = before.cp.size - 1;
      }
    }
    while (this.bi < this.boundaries.length && (this.boundaries[this.bi] as Boundary).cp.size <= this.startPosition) this.bi++;
  }

  /**
   * A checkpoint written by `audit rekey` is signed by the new key line it starts, not by the key the chain vouched
   * for: it proves only that whoever wrote it held a key of their own making, which anyone with the store can do. So
   * it is a located break (`key-reset`) unless the operator pinned that key or accepted the reset at that epoch.
   * The new line's own signatures are still checked afterwards, so later tampering stays located.
   */
  private checkReset(parsed: Extract<ParsedNote, { ok: true }>, prev: Checkpoint | undefined): boolean {
    const cp = parsed.checkpoint;
    const newKey = cp.reset as string;
    if (!verifyNoteSignature(parsed, newKey)) {
      this.report({ kind: 'bad-signature', epoch: cp.epoch, detail: `checkpoint ${cp.epoch} starts a new key line but is not signed by the key it names` });
      return false;
    }
    const acceptedBy = this.opts.trustedKeys.includes(newKey) ? 'pinned-key' : (this.opts.acceptResets ?? []).includes(cp.epoch) ? 'accept-reset' : null;
    this.resets.push({ epoch: cp.epoch, key: fingerprint(newKey), acceptedBy });
    if (acceptedBy === null) {
      const from = prev ? prev.size : 0;
      this.report({
        kind: 'key-reset',
        epoch: cp.epoch,
        seq: from,
        ...(cp.size - 1 > from ? { toSeq: cp.size - 1 } : {}),
        detail: `key-reset at epoch ${cp.epoch}: agentsec audit rekey started a new signing key (${fingerprint(newKey)}) that no trusted key vouches for; entries from ${from} on rest on it alone. If the reset was yours, pass --accept-reset ${cp.epoch} or pin the new key with --pubkey`,
      });
    }
    return true;
  }

  private checkState(): void {
    const s = this.opts.state;
    if (!s) return;
    const last = this.boundaries[this.boundaries.length - 1];
    const match = this.boundaries.find((b) => b.cp.epoch === s.epoch);
    if (!match) {
      this.report({ kind: 'rollback', epoch: s.epoch, detail: `--state recorded checkpoint ${s.epoch} (size ${s.size}); the log now ends at ${last ? `checkpoint ${last.cp.epoch} (size ${last.cp.size})` : 'no checkpoint'}` });
    } else if (match.cp.size !== s.size || match.cp.head !== s.head || match.cp.nextKey !== s.nextKey || match.cp.origin !== s.origin) {
      this.report({ kind: 'rollback', epoch: s.epoch, detail: `checkpoint ${s.epoch} differs from the one --state recorded: the log no longer holds that prefix` });
    }
  }

  /** The position entries start at (non-zero with --since-epoch): callers may skip everything before it. */
  get firstPosition(): number {
    return this.startPosition;
  }

  /**
   * Feeds one stored entry: its position (the seq column; for an export, the place placeExportEntries gave it), stored
   * hash and exact canonical text. Positions only grow, except that an export's exact copy repeats its original's.
   */
  entry(position: number, hash: string, canon: string): void {
    if (position < this.startPosition) return;
    if (canon === this.prevCanon && hash === this.prevHash) {
      // An exact copy of the entry before: located on that entry, and discounted so it does not shift the rest.
      this.checked++;
      this.report({ kind: 'duplicate', seq: this.prevCanonSeq, detail: `entry ${this.prevCanonSeq} is stored twice in a row (an exact copy)` });
      if (position > this.lastRaw) this.copyPending = true;
      this.lastRaw = position;
      return;
    }
    if (position <= this.lastRaw) {
      this.report({ kind: 'moved', seq: position, detail: `an entry at position ${position} comes after position ${this.lastRaw}` });
      return;
    }
    this.checked++;
    this.lastRaw = position;
    const e = chainFields(canon);
    let c = position - this.offset;
    if (this.copyPending) {
      this.copyPending = false;
      if (e && e.seq === c - 1) {
        // The copy was inserted: everything after it sits one position later.
        this.offset++;
        c--;
      } else if (c === this.lastCol + 2) {
        this.report({ kind: 'missing', seq: c - 1, detail: `entry ${c - 1} is missing: a copy of entry ${this.prevCanonSeq} is stored in its place` });
        this.lastCol = c - 1;
        this.prevDisplaced = true;
      }
    }
    let gapBefore = false;
    if (c > this.lastCol + 1) {
      const from = this.lastCol + 1;
      this.report({ kind: 'missing', seq: from, ...(c - 1 > from ? { toSeq: c - 1 } : {}), detail: c - 1 > from ? `entries ${from}..${c - 1} are missing` : `entry ${from} is missing` });
      gapBefore = true;
    }
    const hashOk = hashCanon(canon) === hash;
    if (!hashOk) this.report({ kind: 'modified', seq: c, detail: `entry ${c} was changed: its content does not match its stored hash` });
    if (!e) {
      if (hashOk) this.report({ kind: 'modified', seq: c, detail: `entry ${c} is not a well-formed audit entry` });
      this.advance(c, hash, canon, hashOk, c, this.prevTs, true);
      return;
    }
    const shift = c - e.seq;
    const displaced = shift !== 0;
    if (displaced) {
      if (e.seq === this.prevCanonSeq) this.report({ kind: 'duplicate', seq: e.seq, detail: `a second entry ${e.seq} at position ${c}: an entry was inserted before it` });
      else if (!(this.prevDisplaced && shift === this.runShift)) this.report({ kind: 'moved', seq: e.seq, detail: `entry ${e.seq} is stored at position ${c}` });
      this.runShift = shift;
    } else {
      this.runShift = 0;
    }
    if (!gapBefore && !displaced && !this.prevDisplaced) {
      if (c === 0 && e.prev !== ZERO_HASH) {
        this.report({ kind: 'broken-link', seq: 0, detail: 'entry 0 does not start the chain (its prev is not zero)' });
      } else if (c > 0 && e.prev !== this.prevHash) {
        if (this.prevHashOk) this.report({ kind: 'modified', seq: c - 1, detail: `entry ${c - 1} was changed and its hash recomputed: entry ${c} still links to the original` });
        else this.report({ kind: 'broken-link', seq: c, detail: `entry ${c} does not link to entry ${c - 1}` });
      }
    }
    if (!displaced && e.ts < this.prevTs) this.report({ kind: 'time-regression', seq: e.seq, detail: `entry ${e.seq} is ${this.prevTs - e.ts} ms older than the entry before it` });
    this.checkFuture(e.seq, e.ts);
    this.checkBoundaries(c, hash, e.epoch, e.ts, displaced);
    // A displaced entry's time says nothing about its neighbours; keep the clock of the in-place chain.
    this.advance(c, hash, canon, hashOk, e.seq, displaced ? this.prevTs : Math.max(this.prevTs, e.ts), displaced);
  }

  private advance(c: number, hash: string, canon: string, hashOk: boolean, canonSeq: number, ts: number, displaced: boolean): void {
    this.lastCol = c;
    this.prevHash = hash;
    this.prevCanon = canon;
    this.prevHashOk = hashOk;
    this.prevCanonSeq = canonSeq;
    this.prevTs = ts;
    this.prevDisplaced = displaced;
  }

  /** Entries dated beyond the clock tolerance, reported as one range per run (a writer keeps time monotonic, so one bad date drags the entries after it along). */
  private checkFuture(seq: number, ts: number): void {
    const ahead = ts - this.opts.now;
    if (ahead > this.skew) {
      if (this.future && seq === this.future.to + 1) this.future = { from: this.future.from, to: seq, ahead: Math.max(this.future.ahead, ahead) };
      else {
        this.flushFuture();
        this.future = { from: seq, to: seq, ahead };
      }
    } else {
      this.flushFuture();
    }
  }

  private flushFuture(): void {
    const f = this.future;
    if (!f) return;
    this.future = undefined;
    const what = f.to > f.from ? `entries ${f.from}..${f.to} are` : `entry ${f.from} is`;
    this.report({ kind: 'future-dated', seq: f.from, ...(f.to > f.from ? { toSeq: f.to } : {}), detail: `${what} dated up to ${formatDuration(f.ahead)} ahead of this clock (tolerance ${formatDuration(this.skew)})` });
  }

  /** Compares entries against the checkpoints around them: head hashes, epochs and times. */
  private checkBoundaries(c: number, hash: string, epoch: number, ts: number, displaced: boolean): void {
    // Checkpoints whose last entry was never seen (missing entries) are skipped; `missing` already says why.
    while (this.bi < this.boundaries.length && (this.boundaries[this.bi] as Boundary).cp.size - 1 < c) this.bi++;
    const lower = this.bi > 0 ? this.boundaries[this.bi - 1] : undefined;
    const upper = this.boundaries[this.bi];
    if (!displaced) {
      if (lower && epoch <= lower.cp.epoch) this.report({ kind: 'moved', seq: c, detail: `entry ${c} claims epoch ${epoch} but comes after checkpoint ${lower.cp.epoch}` });
      else if (upper && epoch > upper.cp.epoch) this.report({ kind: 'moved', seq: c, detail: `entry ${c} claims epoch ${epoch} but is sealed by checkpoint ${upper.cp.epoch}` });
      if (upper && ts > upper.cp.time) this.report({ kind: 'time-regression', seq: c, detail: `entry ${c} is dated after checkpoint ${upper.cp.epoch} that sealed it` });
    }
    while (this.bi < this.boundaries.length && (this.boundaries[this.bi] as Boundary).cp.size - 1 === c) {
      const b = this.boundaries[this.bi] as Boundary;
      if (b.cp.head !== hash) {
        const from = lower ? lower.cp.size : 0;
        this.report({ kind: 'head-mismatch', epoch: b.cp.epoch, seq: from, toSeq: c, detail: `checkpoint ${b.cp.epoch} sealed a different history: an entry in ${from}..${c} was rewritten and the chain re-hashed` });
      }
      this.bi++;
    }
  }

  finish(): VerifyReport {
    this.flushFuture();
    const last = this.boundaries[this.boundaries.length - 1];
    const storedEnd = this.lastCol + 1;
    if (!last) {
      this.report({ kind: 'checkpoint-missing', epoch: 0, detail: 'no checkpoint at all: the log was never sealed, or its checkpoints were deleted' });
    } else {
      if (storedEnd < last.cp.size) {
        this.report({ kind: 'truncated', seq: storedEnd, toSeq: last.cp.size - 1, epoch: last.cp.epoch, detail: `checkpoint ${last.cp.epoch} sealed ${last.cp.size} entries but the log ends at ${storedEnd}` });
      }
      const age = this.opts.now - last.cp.time;
      if (age > 2 * this.opts.epochMs) {
        this.report({ kind: 'checkpoints-stopped', epoch: last.cp.epoch, detail: `the last checkpoint is ${Math.round(age / 60000)} min old (over two epochs): the tail may have been cut, or agentsec audit seal is not running` });
      }
    }
    const sealed = last ? Math.min(last.cp.size, storedEnd) : 0;
    const unsealed = Math.max(0, storedEnd - sealed);
    const incomplete: string[] = [];
    if (unsealed > 0) incomplete.push(`${unsealed} newest entr${unsealed === 1 ? 'y is' : 'ies are'} not sealed yet (hash-linked, not signed)`);
    if (this.startPosition > 0) incomplete.push(`entries before ${this.startPosition} (epochs before ${this.opts.sinceEpoch}) were not checked`);
    const ok = this.problems.length === 0 && this.moreProblems === 0;
    const state: VerifyState | undefined = ok && last && last.authentic ? { origin: last.cp.origin, epoch: last.cp.epoch, size: last.cp.size, head: last.cp.head, time: last.cp.time, nextKey: last.cp.nextKey } : undefined;
    return {
      ok,
      problems: this.problems,
      moreProblems: this.moreProblems,
      entries: storedEnd,
      checkedEntries: this.checked,
      sealed,
      unsealed,
      checkpoints: this.boundaries.length,
      lastCheckpoint: last ? { epoch: last.cp.epoch, size: last.cp.size, time: last.cp.time } : null,
      origin: this.origin,
      incomplete,
      resets: this.resets,
      ...(state ? { state } : {}),
    };
  }
}
