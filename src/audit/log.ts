import { signCheckpoint, type Checkpoint } from '../core/audit/checkpoint.js';
import { buildEntry, ZERO_HASH, type AuditEvent, type SealedEntry } from '../core/audit/entry.js';
import { canonicalize } from '../core/audit/canonical.js';
import { fingerprint, generateSigningKey } from '../core/audit/keys.js';
import { AgentsecError, ExitCode } from '../core/errors.js';
import type { AuditKeyring } from '../platform/audit-keyring.js';
import { AuditRepo, type CheckpointRow } from '../store/audit-repo.js';
import type { Db } from '../store/db.js';
import { MetaRepo } from '../store/meta-repo.js';

export const DEFAULT_EPOCH_MS = 15 * 60_000;
export const META_PUBKEY = 'audit.pubkey';
export const META_ORIGIN = 'audit.origin';

export interface AuditLogOptions {
  readonly db: Db;
  readonly keyring: AuditKeyring;
  readonly clock: () => Date;
  readonly epochMs: number;
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
 * The audit chain writer. Every write runs in one BEGIN IMMEDIATE transaction, so concurrent writers in many
 * processes serialise on SQLite's write lock and never fork the chain.
 */
export class AuditLog {
  private readonly repo: AuditRepo;
  private readonly meta: MetaRepo;
  private readonly opts: AuditLogOptions;

  constructor(opts: AuditLogOptions) {
    this.opts = opts;
    this.repo = new AuditRepo(opts.db);
    this.meta = new MetaRepo(opts.db);
  }

  get repository(): AuditRepo {
    return this.repo;
  }

  publicKey(): string | undefined {
    return this.meta.get(META_PUBKEY);
  }

  origin(): string | undefined {
    return this.meta.get(META_ORIGIN);
  }

  /**
   * Creates the chain: the epoch-0 key pair, an `audit.init` entry and checkpoint 0. Idempotent.
   * Returns the epoch-0 public key (for the operator to keep off the host) and whether it was created now.
   */
  init(origin: string, actor: AuditEvent['actor']): { publicKey: string; created: boolean } {
    validateOrigin(origin);
    const destroy: number[] = [];
    const result = this.opts.db
      .transaction(() => {
        const existing = this.meta.get(META_PUBKEY);
        if (existing) return { publicKey: existing, created: false };
        if (this.repo.head() || this.repo.lastCheckpoint()) throw new AgentsecError('the audit chain has entries but no recorded public key: the store was tampered with; restore it from backup', ExitCode.Runtime);
        this.opts.keyring.ensureDir();
        const first = generateSigningKey();
        this.opts.keyring.write(0, first);
        this.meta.set(META_PUBKEY, first.publicKey);
        this.meta.set(META_ORIGIN, origin);
        const now = this.opts.clock().getTime();
        const sealed = buildEntry({ type: 'audit.init', actor: actor ?? null, data: { origin, pubkey: fingerprint(first.publicKey) } }, { seq: 0, ts: now, epoch: 0, prev: ZERO_HASH });
        this.insert(sealed);
        this.sealLocked(now, { seq: 0, hash: sealed.hash, ts: now }, undefined, origin);
        destroy.push(0);
        return { publicKey: first.publicKey, created: true };
      })
      .immediate();
    for (const e of destroy) this.opts.keyring.destroy(e);
    return result;
  }

  private insert(s: SealedEntry): void {
    this.repo.insertEntry(s.entry.seq, s.hash, s.canon, s.entry.ts, s.entry.type, canonicalize(s.entry.actor));
  }

  private requireInit(): { last: CheckpointRow; origin: string } {
    const last = this.repo.lastCheckpoint();
    const origin = this.meta.get(META_ORIGIN);
    if (!last || !origin) throw new AgentsecError('the audit chain is not initialised: run agentsec init', ExitCode.Usage);
    return { last, origin };
  }

  /** Signs checkpoint `last.epoch + 1` with that epoch's key, vouching for a fresh key for the epoch after it. */
  private sealLocked(now: number, head: { seq: number; hash: string; ts: number } | undefined, last: CheckpointRow | undefined, origin: string): Checkpoint {
    const epoch = last ? last.epoch + 1 : 0;
    const key = this.opts.keyring.load(epoch);
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
    };
    this.repo.insertCheckpoint({ epoch, size: cp.size, head: cp.head, time: cp.time, note: signCheckpoint(cp, key.privateKey, key.publicKey) });
    return cp;
  }

  /**
   * Appends events in one transaction. When the current epoch has run its length, it is sealed first (the
   * "sealed on the next append" rule), so no epoch stays open longer than one epoch plus the time to the next write.
   */
  append(events: readonly AuditEvent[]): SealedEntry[] {
    let sealedEpoch: number | undefined;
    const out = this.opts.db
      .transaction(() => {
        const init = this.requireInit();
        const { origin } = init;
        let { last } = init;
        let head = this.repo.head();
        let now = Math.max(this.opts.clock().getTime(), head?.ts ?? 0, last.time);
        if (now - last.time >= this.opts.epochMs) {
          const cp = this.sealLocked(now, head, last, origin);
          sealedEpoch = cp.epoch;
          last = { epoch: cp.epoch, size: cp.size, head: cp.head, time: cp.time, note: '' };
          now = Math.max(now, cp.time);
        }
        const written: SealedEntry[] = [];
        for (const event of events) {
          const sealed = buildEntry(event, { seq: head ? head.seq + 1 : 0, ts: now, epoch: last.epoch + 1, prev: head ? head.hash : ZERO_HASH });
          this.insert(sealed);
          written.push(sealed);
          head = { seq: sealed.entry.seq, hash: sealed.hash, ts: now };
        }
        return written;
      })
      .immediate();
    if (sealedEpoch !== undefined) this.opts.keyring.destroyBefore(sealedEpoch + 1);
    return out;
  }

  /**
   * Writes a checkpoint now when entries are unsealed or the epoch has run its length (a heartbeat, so a verifier
   * can tell an idle log from a truncated one); with `force`, always. Returns undefined when nothing was due.
   */
  seal(force = false): SealResult | undefined {
    let sealedEpoch: number | undefined;
    const out = this.opts.db
      .transaction(() => {
        const { last, origin } = this.requireInit();
        const head = this.repo.head();
        const size = head ? head.seq + 1 : 0;
        const now = Math.max(this.opts.clock().getTime(), head?.ts ?? 0, last.time);
        const idle = size === last.size;
        if (!force && idle && now - last.time < this.opts.epochMs) return undefined;
        const cp = this.sealLocked(now, head, last, origin);
        sealedEpoch = cp.epoch;
        return { checkpoint: cp, idle };
      })
      .immediate();
    if (sealedEpoch !== undefined) this.opts.keyring.destroyBefore(sealedEpoch + 1);
    return out;
  }

  /** Facts for `audit status` and `doctor`. */
  status(): { entries: number; checkpoints: number; last: CheckpointRow | undefined; unsealed: number; currentKeyPresent: boolean } {
    const last = this.repo.lastCheckpoint();
    const head = this.repo.head();
    const size = head ? head.seq + 1 : 0;
    return {
      entries: size,
      checkpoints: this.repo.checkpointCount(),
      last,
      unsealed: last ? size - last.size : size,
      currentKeyPresent: last ? this.opts.keyring.exists(last.epoch + 1) : false,
    };
  }
}
