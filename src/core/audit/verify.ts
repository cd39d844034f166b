import { parseNote, verifyNoteSignature, type Checkpoint } from './checkpoint.js';
import { chainFields, hashCanon, ZERO_HASH } from './entry.js';

export type ProblemKind =
  | 'missing'
  | 'duplicate'
  | 'modified'
  | 'moved'
  | 'broken-link'
  | 'time-regression'
  | 'bad-signature'
  | 'checkpoint-missing'
  | 'head-mismatch'
  | 'truncated'
  | 'checkpoints-stopped'
  | 'rollback';

export interface Problem {
  readonly kind: ProblemKind;
  /** The entry (or first entry of a range) the problem is located at. */
  readonly seq?: number;
  readonly toSeq?: number;
  readonly epoch?: number;
  readonly detail: string;
}

/** What `--state` remembers between runs: the newest checkpoint seen verified, to catch a rollback. */
export type VerifyState = Checkpoint;

export interface VerifyOptions {
  /** The public key of epoch 0, printed at init. */
  readonly trustedKey: string;
  readonly epochMs: number;
  /** Now, in ms since the Unix epoch (for the clock rule). */
  readonly now: number;
  readonly sinceEpoch?: number;
  readonly state?: VerifyState;
  readonly maxProblems?: number;
}

export interface VerifyReport {
  readonly ok: boolean;
  readonly problems: readonly Problem[];
  /** Problems found beyond maxProblems (counted, not listed). */
  readonly moreProblems: number;
  readonly entries: number;
  readonly checkedEntries: number;
  readonly sealed: number;
  readonly unsealed: number;
  readonly checkpoints: number;
  readonly lastCheckpoint: { epoch: number; size: number; time: number } | null;
  readonly origin: string | null;
  readonly incomplete: readonly string[];
  /** The state to remember when the chain verified (undefined otherwise). */
  readonly state?: VerifyState;
}

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
  private readonly problems: Problem[] = [];
  private moreProblems = 0;
  private boundaries: Boundary[] = [];
  private origin: string | null = null;
  private bi = 0;
  private startPosition = 0;
  private lastCol = -1;
  private prevHash = ZERO_HASH;
  private prevHashOk = true;
  private prevCanonSeq = -1;
  private prevTs = Number.NEGATIVE_INFINITY;
  private prevDisplaced = false;
  private runShift = 0;
  private checked = 0;

  constructor(opts: VerifyOptions) {
    this.opts = opts;
  }

  private report(p: Problem): void {
    if (this.problems.length < (this.opts.maxProblems ?? 1000)) this.problems.push(p);
    else this.moreProblems++;
  }

  /** Feeds every checkpoint note, in stored order, before any entry. */
  checkpoints(rows: Iterable<{ readonly epoch: number; readonly note: string }>): void {
    let expected = 0;
    let key = this.opts.trustedKey;
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
      if (authentic && !verifyNoteSignature(parsed, key)) {
        this.report({ kind: 'bad-signature', epoch: cp.epoch, detail: cp.epoch === 0 ? 'checkpoint 0 is not signed by the trusted public key (wrong --pubkey, or the key in the store was replaced)' : `checkpoint ${cp.epoch} is not signed by the key checkpoint ${cp.epoch - 1} vouched for` });
        authentic = false;
      }
      if (cp.origin !== this.origin) this.report({ kind: 'modified', epoch: cp.epoch, detail: `checkpoint origin '${cp.origin}' differs from '${this.origin}'` });
      if (prev && cp.time < prev.time) this.report({ kind: 'time-regression', epoch: cp.epoch, detail: `checkpoint time goes back ${prev.time - cp.time} ms` });
      if (prev && cp.size < prev.size) this.report({ kind: 'modified', epoch: cp.epoch, detail: `checkpoint size ${cp.size} is below the previous ${prev.size}` });
      this.boundaries.push({ cp, authentic });
      key = cp.nextKey;
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

  /** Feeds one stored entry: its position (seq column), stored hash and exact canonical text. */
  entry(position: number, hash: string, canon: string): void {
    if (position < this.startPosition) return;
    this.checked++;
    const c = position;
    let gapBefore = false;
    if (c > this.lastCol + 1) {
      const from = this.lastCol + 1;
      this.report({ kind: 'missing', seq: from, ...(c - 1 > from ? { toSeq: c - 1 } : {}), detail: c - 1 > from ? `entries ${from}..${c - 1} are missing` : `entry ${from} is missing` });
      gapBefore = true;
    }
    const hashOk = hashCanon(canon) === hash;
    if (!hashOk) this.report({ kind: 'modified', seq: c, detail: `entry ${c} was changed: its content does not match its stored hash` });
    const e = chainFields(canon);
    if (!e) {
      if (hashOk) this.report({ kind: 'modified', seq: c, detail: `entry ${c} is not a well-formed audit entry` });
      this.advance(c, hash, hashOk, c, this.prevTs, true);
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
    this.checkBoundaries(c, hash, e.epoch, e.ts, displaced);
    // A displaced entry's time says nothing about its neighbours; keep the clock of the in-place chain.
    this.advance(c, hash, hashOk, e.seq, displaced ? this.prevTs : Math.max(this.prevTs, e.ts), displaced);
  }

  private advance(c: number, hash: string, hashOk: boolean, canonSeq: number, ts: number, displaced: boolean): void {
    this.lastCol = c;
    this.prevHash = hash;
    this.prevHashOk = hashOk;
    this.prevCanonSeq = canonSeq;
    this.prevTs = ts;
    this.prevDisplaced = displaced;
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
      ...(state ? { state } : {}),
    };
  }
}
