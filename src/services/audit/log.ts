import { parseNote, signCheckpoint, type Checkpoint } from '../../core/audit/checkpoint.js';
import { buildEntry, ZERO_HASH, type AuditEvent, type SealedEntry } from '../../core/audit/entry.js';
import { canonicalize } from '../../core/audit/canonical.js';
import { fingerprint, generateSigningKey, type SigningKey } from '../../core/audit/keys.js';
import { AgentsecError, ExitCode } from '../../core/errors.js';
import type { AuditKeyring } from '../../platform/audit-keyring.js';
import type { CheckpointRow } from '../../store/audit.js';
import type { Repos, Store, Tx } from '../../store/store.js';
import { groupCommitter } from './group-commit.js';

export const DEFAULT_EPOCH_MS = 15 * 60_000;
export const META_PUBKEY = 'audit.pubkey';
export const META_ORIGIN = 'audit.origin';
/** The epoch whose failed seal was last recorded in the chain (one `audit.seal-failed` entry per epoch). */
const META_SEAL_FAILED = 'audit.seal-failed';

/** Whether the current epoch's signing key can seal it: present, readable, and the key the last checkpoint vouched for. */
export type SigningKeyState =
  | { readonly ok: true; readonly epoch: number; readonly key: SigningKey }
  | {
      readonly ok: false;
      readonly epoch: number;
      readonly reason: 'missing' | 'corrupt' | 'unreadable' | 'mismatch';
      /** One line for the operator, naming the file. */
      readonly message: string;
      /** The public key the last checkpoint vouched for, when it is readable. */
      readonly expected: string | undefined;
    };

export type SealTrouble = Extract<SigningKeyState, { ok: false }>;

export interface AuditLogOptions {
  readonly store: Store;
  readonly keyring: AuditKeyring;
  readonly clock: () => Date;
  readonly epochMs: number;
  /** Told after an append that went through although its seal was due and could not happen. */
  readonly onSealSkipped?: (trouble: SealTrouble) => void;
}

export interface RekeyResult {
  readonly epoch: number;
  /** The public key of the new key line: the one to pin (verify --pubkey) beside the epoch-0 key. */
  readonly publicKey: string;
  readonly size: number;
  readonly reason: SealTrouble['reason'];
}

export interface SealResult {
  readonly checkpoint: Checkpoint;
  /** True for a heartbeat checkpoint that covers no new entry. */
  readonly idle: boolean;
}

const ORIGIN_RE = /^[A-Za-z0-9._:@/-]{1,128}$/;

export function validateOrigin(origin: string): string {
  if (!ORIGIN_RE.test(origin)) throw new AgentsecError(`invalid audit origin '${origin.slice(0, 80)}': use 1-128 letters, digits and . _ : @ / -`, ExitCode.Usage);
  return origin;
}

/**
 * The audit chain writer. Every write runs in one store transaction (BEGIN IMMEDIATE on SQLite), so concurrent
 * writers in many processes serialise on the store's write lock and never fork the chain. Key files are destroyed
 * only after the checkpoint that retires them has committed.
 */
export class AuditLog {
  private readonly opts: AuditLogOptions;

  constructor(opts: AuditLogOptions) {
    this.opts = opts;
  }

  get store(): Store {
    return this.opts.store;
  }

  publicKey(): Promise<string | undefined> {
    return this.opts.store.meta.get(META_PUBKEY);
  }

  origin(): Promise<string | undefined> {
    return this.opts.store.meta.get(META_ORIGIN);
  }

  /**
   * Creates the chain: the epoch-0 key pair, an `audit.init` entry and checkpoint 0. Idempotent.
   * Returns the epoch-0 public key (for the operator to keep off the host) and whether it was created now.
   */
  async init(origin: string, actor: AuditEvent['actor']): Promise<{ publicKey: string; created: boolean }> {
    validateOrigin(origin);
    return this.opts.store.transaction(async (tx) => {
      const existing = await tx.meta.get(META_PUBKEY);
      if (existing) return { publicKey: existing, created: false };
      if ((await tx.audit.head()) || (await tx.audit.lastCheckpoint())) throw new AgentsecError('the audit chain has entries but no recorded public key: the store was tampered with; restore it from backup', ExitCode.Runtime);
      this.opts.keyring.ensureDir();
      const first = generateSigningKey();
      this.opts.keyring.write(0, first);
      await tx.meta.set(META_PUBKEY, first.publicKey);
      await tx.meta.set(META_ORIGIN, origin);
      const now = this.opts.clock().getTime();
      const sealed = buildEntry({ type: 'audit.init', actor: actor ?? null, data: { origin, pubkey: fingerprint(first.publicKey) } }, { seq: 0, ts: now, epoch: 0, prev: ZERO_HASH });
      await this.insert(tx, sealed);
      await this.sealLocked(tx, now, { seq: 0, hash: sealed.hash, ts: now }, undefined, origin, first);
      tx.afterCommit(() => this.opts.keyring.destroy(0));
      return { publicKey: first.publicKey, created: true };
    });
  }

  private insert(tx: Repos, s: SealedEntry): Promise<void> {
    return tx.audit.insertEntry(s.entry.seq, s.hash, s.canon, s.entry.ts, s.entry.type, canonicalize(s.entry.actor));
  }

  private async requireInit(tx: Repos): Promise<{ last: CheckpointRow; origin: string }> {
    const last = await tx.audit.lastCheckpoint();
    const origin = await tx.meta.get(META_ORIGIN);
    if (!last || !origin) throw new AgentsecError('the audit chain is not initialised: run agentsec init', ExitCode.Usage);
    return { last, origin };
  }

  /** The key that may sign the next checkpoint: the file for epoch `last.epoch + 1`, checked against what `last` vouched for. */
  private keyFor(last: CheckpointRow): SigningKeyState {
    const epoch = last.epoch + 1;
    const parsed = parseNote(last.note);
    const expected = parsed.ok ? parsed.checkpoint.nextKey : undefined;
    const read = this.opts.keyring.read(epoch);
    if (!read.ok) return { ok: false, epoch, reason: read.reason, message: read.message, expected };
    if (expected === undefined) return { ok: false, epoch, reason: 'mismatch', message: `checkpoint ${last.epoch} is unreadable, so the signing key for epoch ${epoch} cannot be checked against it`, expected };
    if (read.key.publicKey !== expected) {
      // Signing with it would give a checkpoint no verifier can chain to the one before: refuse, and say why.
      const path = this.opts.keyring.pathFor(epoch);
      return { ok: false, epoch, reason: 'mismatch', message: `the audit signing key ${path} (${fingerprint(read.key.publicKey)}) is not the key checkpoint ${last.epoch} vouched for (${fingerprint(expected)}): it was replaced, or the store and audit-keys come from different backups`, expected };
    }
    return { ok: true, epoch, key: read.key };
  }

  /** The state of the current epoch's signing key; undefined before the chain exists. */
  async signingKeyState(): Promise<SigningKeyState | undefined> {
    const last = await this.opts.store.audit.lastCheckpoint();
    return last ? this.keyFor(last) : undefined;
  }

  /**
   * Signs checkpoint `last.epoch + 1` with `key`, vouching for a fresh key for the epoch after it. With `reset`, the
   * checkpoint names `key` as the start of a new key line (audit rekey) instead of relying on what `last` vouched for.
   */
  private async sealLocked(tx: Repos, now: number, head: { seq: number; hash: string; ts: number } | undefined, last: CheckpointRow | undefined, origin: string, key: SigningKey, reset = false): Promise<Checkpoint> {
    const epoch = last ? last.epoch + 1 : 0;
    const next = generateSigningKey();
    // The next key is on disk (fsynced) before the checkpoint that vouches for it commits.
    this.opts.keyring.write(epoch + 1, next);
    const cp: Checkpoint = {
      origin,
      epoch,
      size: head ? head.seq + 1 : 0,
      head: head ? head.hash : ZERO_HASH,
      time: Math.max(now, head?.ts ?? 0, last?.time ?? 0),
      nextKey: next.publicKey,
      ...(reset ? { reset: key.publicKey } : {}),
    };
    await tx.audit.insertCheckpoint({ epoch, size: cp.size, head: cp.head, time: cp.time, note: signCheckpoint(cp, key.privateKey, key.publicKey) });
    return cp;
  }

  /**
   * Appends events in one transaction. When the current epoch has run its length, it is sealed first (the
   * "sealed on the next append" rule), so no epoch stays open longer than one epoch plus the time to the next write.
   *
   * When that seal is due but cannot happen (the key is lost, unreadable or not the one vouched for), the events are
   * still appended, hash-linked and unsealed, and `onSealSkipped` is told. Every append goes through, not only
   * revocations and blocks: agentsec's own writers record inside the transaction of the change itself, so refusing
   * the entry would refuse the change, and a deleted key file would switch off revocation, blocking and lockout — a
   * security response must never depend on the audit signing key. What is lost is only the signature over this epoch,
   * which no one can make any more anyway; the gap stays visible (audit verify: unsealed entries, then
   * checkpoints-stopped; an `audit.seal-failed` entry; doctor) until `audit rekey` starts a new key line.
   *
   * Calls made while another append of the same store is committing are written together in the next transaction
   * (group commit): each call's events stay consecutive, calls keep their order, a call whose events are refused
   * (bad type, too large) is rejected alone, and a failed commit rejects every call of its group.
   */
  append(events: readonly AuditEvent[]): Promise<SealedEntry[]> {
    // Concurrent appends to one store in this process share one commit (one fsync): see GroupCommitter. Each
    // promise still settles only once its entries are durable, in the order the calls were made.
    return groupCommitter(this.opts.store).run((tx) => this.appendIn(tx, events));
  }

  /**
   * {@link append} inside the caller's transaction: the entries commit (and the used key is destroyed, and a
   * skipped seal is reported) only with the caller's change. agentsec's own writers record this way.
   */
  async appendIn(tx: Tx, events: readonly AuditEvent[]): Promise<SealedEntry[]> {
    const init = await this.requireInit(tx);
    const { origin } = init;
    let { last } = init;
    let head = await tx.audit.head();
    let now = Math.max(this.opts.clock().getTime(), head?.ts ?? 0, last.time);
    if (now - last.time >= this.opts.epochMs) {
      const key = this.keyFor(last);
      if (key.ok) {
        const cp = await this.sealLocked(tx, now, head, last, origin, key.key);
        tx.afterCommit(() => this.opts.keyring.destroyBefore(cp.epoch + 1));
        last = { epoch: cp.epoch, size: cp.size, head: cp.head, time: cp.time, note: '' };
        now = Math.max(now, cp.time);
      } else {
        tx.afterCommit(() => this.opts.onSealSkipped?.(key));
        head = (await this.recordSealFailure(tx, key, head, now)) ?? head;
      }
    }
    const written: SealedEntry[] = [];
    for (const event of events) {
      const sealed = buildEntry(event, { seq: head ? head.seq + 1 : 0, ts: now, epoch: last.epoch + 1, prev: head ? head.hash : ZERO_HASH });
      await this.insert(tx, sealed);
      written.push(sealed);
      head = { seq: sealed.entry.seq, hash: sealed.hash, ts: now };
    }
    return written;
  }

  /** Writes one `audit.seal-failed` entry per epoch that could not be sealed, so the chain itself says when and why. */
  private async recordSealFailure(tx: Repos, trouble: SealTrouble, head: { seq: number; hash: string; ts: number } | undefined, now: number): Promise<{ seq: number; hash: string; ts: number } | undefined> {
    if ((await tx.meta.get(META_SEAL_FAILED)) === String(trouble.epoch)) return undefined;
    await tx.meta.set(META_SEAL_FAILED, String(trouble.epoch));
    const data = { epoch: trouble.epoch, reason: trouble.reason, ...(trouble.expected ? { expectedKey: fingerprint(trouble.expected) } : {}) };
    const sealed = buildEntry({ type: 'audit.seal-failed', actor: { agentsec: 'audit' }, data }, { seq: head ? head.seq + 1 : 0, ts: now, epoch: trouble.epoch, prev: head ? head.hash : ZERO_HASH });
    await this.insert(tx, sealed);
    return { seq: sealed.entry.seq, hash: sealed.hash, ts: now };
  }

  /**
   * Writes a checkpoint now when entries are unsealed or the epoch has run its length (a heartbeat, so a verifier
   * can tell an idle log from a truncated one); with `force`, always. Returns undefined when nothing was due.
   * Refuses (exit 3) when the current key cannot seal, due or not: `audit seal` runs from cron and is the alarm.
   */
  seal(force = false): Promise<SealResult | undefined> {
    return this.opts.store.transaction(async (tx) => {
      const { last, origin } = await this.requireInit(tx);
      const key = this.keyFor(last);
      if (!key.ok) throw new AgentsecError(`cannot seal epoch ${key.epoch}: ${key.message}; signing with any other key would break the chain: run agentsec audit rekey to start a new key line (audit verify then shows the reset)`, ExitCode.Runtime);
      const head = await tx.audit.head();
      const size = head ? head.seq + 1 : 0;
      const now = Math.max(this.opts.clock().getTime(), head?.ts ?? 0, last.time);
      const idle = size === last.size;
      if (!force && idle && now - last.time < this.opts.epochMs) return undefined;
      const cp = await this.sealLocked(tx, now, head, last, origin, key.key);
      tx.afterCommit(() => this.opts.keyring.destroyBefore(cp.epoch + 1));
      return { checkpoint: cp, idle };
    });
  }

  /**
   * The recovery from a lost or replaced signing key: appends an `audit.rekey` entry and seals the open epoch with a
   * fresh key that starts a new key line (named in the checkpoint), vouching for the next epoch's key as usual.
   * The fresh key never touches the disk. Verification shows the reset as `key-reset at epoch N` until the operator
   * pins the printed key or passes --accept-reset N: whoever can run this can also write the store, so a reset must
   * never pass silently. Refused while the current key is fine (nothing to recover).
   */
  rekey(actor: AuditEvent['actor']): Promise<RekeyResult> {
    return this.opts.store.transaction(async (tx): Promise<RekeyResult> => {
      const { last, origin } = await this.requireInit(tx);
      const state = this.keyFor(last);
      if (state.ok) throw new AgentsecError(`the signing key for epoch ${state.epoch} is present and is the one checkpoint ${last.epoch} vouched for: nothing to recover (audit rekey is for a lost or replaced key)`, ExitCode.Usage);
      this.opts.keyring.ensureDir();
      const head = await tx.audit.head();
      const now = Math.max(this.opts.clock().getTime(), head?.ts ?? 0, last.time);
      const fresh = generateSigningKey();
      const data = { epoch: state.epoch, reason: state.reason, key: fingerprint(fresh.publicKey), ...(state.expected ? { lostKey: fingerprint(state.expected) } : {}) };
      const entry = buildEntry({ type: 'audit.rekey', actor: actor ?? null, data }, { seq: head ? head.seq + 1 : 0, ts: now, epoch: state.epoch, prev: head ? head.hash : ZERO_HASH });
      await this.insert(tx, entry);
      const cp = await this.sealLocked(tx, now, { seq: entry.entry.seq, hash: entry.hash, ts: now }, last, origin, fresh, true);
      tx.afterCommit(() => this.opts.keyring.destroyAllBut(cp.epoch + 1));
      return { epoch: cp.epoch, publicKey: fresh.publicKey, size: cp.size, reason: state.reason };
    });
  }

  /** Facts for `audit status` and `doctor`. */
  async status(): Promise<{ entries: number; checkpoints: number; last: CheckpointRow | undefined; unsealed: number; signingKey: SigningKeyState | undefined }> {
    const store = this.opts.store;
    const last = await store.audit.lastCheckpoint();
    const head = await store.audit.head();
    const size = head ? head.seq + 1 : 0;
    return {
      entries: size,
      checkpoints: await store.audit.checkpointCount(),
      last,
      unsealed: last ? size - last.size : size,
      signingKey: last ? this.keyFor(last) : undefined,
    };
  }
}
