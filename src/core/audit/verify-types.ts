import type { Checkpoint } from './checkpoint.js';

export type ProblemKind =
  | 'missing'
  | 'duplicate'
  | 'modified'
  | 'moved'
  | 'broken-link'
  | 'time-regression'
  | 'future-dated'
  | 'bad-signature'
  | 'checkpoint-missing'
  | 'key-reset'
  | 'head-mismatch'
  | 'truncated'
  | 'checkpoints-stopped'
  | 'rollback'
  /** A chain stored under one origin (host) whose checkpoints name another: moved or forged in a shared store. */
  | 'wrong-origin';

export interface Problem {
  readonly kind: ProblemKind;
  /** The entry (or first entry of a range) the problem is located at. */
  readonly seq?: number;
  readonly toSeq?: number;
  readonly epoch?: number;
  /** The line of an export (`verify --jsonl`) the problem is located at. */
  readonly line?: number;
  readonly detail: string;
}

/** What `--state` remembers between runs: the newest checkpoint seen verified, to catch a rollback. */
export type VerifyState = Checkpoint;

/** How far ahead of the verifier's clock an entry or checkpoint may be dated before it is reported. */
export const DEFAULT_CLOCK_SKEW_MS = 5 * 60_000;

export interface VerifyOptions {
  /**
   * The pinned public keys: the epoch-0 key printed at init, plus any key `audit rekey` printed. Checkpoint 0 must be
   * signed by one of them; a key reset passes when the key it starts is one of them.
   */
  readonly trustedKeys: readonly string[];
  /** Epochs whose key reset the operator accepts without pinning the new key (`--accept-reset N`). */
  readonly acceptResets?: readonly number[];
  readonly epochMs: number;
  /** Now, in ms since the Unix epoch (for the clock rules). */
  readonly now: number;
  /** Default DEFAULT_CLOCK_SKEW_MS. */
  readonly clockSkewMs?: number;
  readonly sinceEpoch?: number;
  readonly state?: VerifyState;
  readonly maxProblems?: number;
}

/** A checkpoint that started a new key line, and what (if anything) made the verifier accept it. */
export interface KeyReset {
  readonly epoch: number;
  /** Fingerprint of the key the reset started. */
  readonly key: string;
  readonly acceptedBy: 'pinned-key' | 'accept-reset' | null;
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
  readonly resets: readonly KeyReset[];
  /** The state to remember when the chain verified (undefined otherwise). */
  readonly state?: VerifyState;
}
