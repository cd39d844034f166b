import type { AuditRecorder } from '../../audit/open.js';
import { deriveSubkey, open, seal, type RandomSource } from '../../core/crypto/seal.js';
import { usageError } from '../../core/errors.js';
import { PRESETS } from '../../core/passwords/argon2-params.js';
import { formatBackupCode, generateBackupCodes } from '../../core/totp/backup-codes.js';
import { afterFailure, isLocked, type LockoutPolicy } from '../../core/totp/lockout.js';
import { checkTotp, otpauthUri, seedToBase32 } from '../../core/totp/otp.js';
import { classifyCode, type TotpParams } from '../../core/totp/params.js';
import { generateSeed } from '../../core/totp/seed.js';
import type { Db } from '../../store/db.js';
import type { TotpRepo, TotpUser } from '../../store/totp-repo.js';

export const TOTP_SEED_PURPOSE = 'agentsec.totp.seeds.v1';

export interface TotpStore {
  readonly db: Db;
  readonly repo: TotpRepo;
  /** Subkey that seals seeds; empty when the command needs no seed. */
  readonly seedKey: Buffer;
  readonly audit: AuditRecorder;
  close(): void;
}

/** Builds a TotpStore on an open database (the CLI and the library each open theirs). */
export async function totpStoreOn(db: Db, master: Buffer | null, audit: AuditRecorder, close: () => void): Promise<TotpStore> {
  const { TotpRepo } = await import('../../store/totp-repo.js');
  const seedKey = master ? deriveSubkey(master, TOTP_SEED_PURPOSE) : Buffer.alloc(0);
  return {
    db,
    repo: new TotpRepo(db),
    seedKey,
    audit,
    close: () => {
      seedKey.fill(0);
      close();
    },
  };
}

function newUserId(random: RandomSource): string {
  return `totp_${random(12).toString('base64url')}`;
}

function requireUser(store: TotpStore, name: string): TotpUser {
  const u = store.repo.byName(name);
  if (!u) throw usageError(`no TOTP user '${name}': see agentsec totp list`);
  return u;
}

export interface Enrolled {
  readonly user: TotpUser;
  /** Base32 seed and the otpauth URI holding it: shown once, never stored in clear. */
  readonly secret: string;
  readonly uri: string;
  readonly replaced: string | null;
}

/**
 * Enrolls a user as pending. Re-enrolling needs `force` and drops the old seed, backup codes and failures with the
 * old row. Audit point: `totp.enroll` (id, user, issuer, parameters, replaced id — never the seed).
 */
export function enrollUser(store: TotpStore, input: { name: string; issuer: string; params: TotpParams; force: boolean }, env: { now: number; random: RandomSource }): Enrolled {
  const seed = generateSeed(input.params.algorithm, env.random);
  try {
    const id = newUserId(env.random);
    const sealed = seal(store.seedKey, seed, id, env.random);
    const replaced = store.db.transaction(() => {
      const old = store.repo.byName(input.name);
      if (old && !input.force) throw usageError(`user '${input.name}' is already enrolled (${old.status}): pass --force to replace its seed and backup codes`);
      if (old) store.repo.delete(old.id);
      store.repo.insert({ id, name: input.name, issuer: input.issuer, ...input.params, seedSealed: sealed, createdAt: env.now });
      store.audit('totp.enroll', { id, user: input.name, issuer: input.issuer, algorithm: input.params.algorithm, digits: input.params.digits, period: input.params.period, replaced: old?.id ?? null });
      return old?.id ?? null;
    }).immediate();
    return { user: requireUser(store, input.name), secret: seedToBase32(seed), uri: otpauthUri(seed, input.params, input.issuer, input.name), replaced };
  } finally {
    seed.fill(0);
  }
}

async function hashBackupCodes(codes: readonly string[]): Promise<string[]> {
  const argon2 = await import('argon2');
  return Promise.all(codes.map((c) => argon2.hash(c, { type: argon2.argon2id, ...PRESETS.owasp })));
}

export type VerdictCode = 'VALID' | 'VALID_BACKUP_CODE' | 'INVALID' | 'REPLAYED' | 'LOCKED' | 'PENDING' | 'UNKNOWN_USER' | 'MALFORMED';

export interface TotpVerdict {
  readonly code: VerdictCode;
  readonly valid: boolean;
  readonly user: string;
  readonly method?: 'totp' | 'backup-code';
  /** Steps between the code and now (negative: the client's clock is behind). */
  readonly drift?: number;
  readonly backupCodesLeft?: number;
  /** Failures inside the lockout window after this attempt. */
  readonly failures?: number;
  readonly lockedUntil?: string;
}

export interface VerifyEnv {
  readonly now: number;
  readonly window: number;
  readonly policy: LockoutPolicy;
  readonly ip: string | null;
  /** Counts a failure against the client address in the blocks policy (inside the failure's transaction). */
  readonly countFailure?: (ip: string, reason: string, at: number) => unknown;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * Counts one failure; locks the user when the policy says so. Audit point: `totp.lockout` (id, user, until,
 * failures, ip), inside the same transaction as the lock.
 */
function recordFailure(store: TotpStore, user: TotpUser, reason: string, env: VerifyEnv): { failures: number; lockUntil: number | null } {
  return store.db.transaction(() => {
    store.repo.pruneFailures(user.id, env.now - env.policy.windowMs);
    const previous = store.repo.failuresSince(user.id, env.now - env.policy.windowMs);
    store.repo.recordFailure(user.id, env.now, env.ip, reason);
    if (env.ip && env.countFailure) env.countFailure(env.ip, `totp ${reason}`, env.now);
    const r = afterFailure(previous, env.now, env.policy);
    if (r.lockUntil !== null) {
      store.repo.setLockedUntil(user.id, r.lockUntil);
      store.audit('totp.lockout', { id: user.id, user: user.name, until: r.lockUntil, failures: r.failures, ip: env.ip });
    }
    return r;
  }).immediate();
}

function failed(store: TotpStore, user: TotpUser, code: 'INVALID' | 'REPLAYED', env: VerifyEnv): TotpVerdict {
  const r = recordFailure(store, user, code.toLowerCase(), env);
  return { code, valid: false, user: user.name, failures: r.failures, ...(r.lockUntil !== null ? { lockedUntil: iso(r.lockUntil) } : {}) };
}

/**
 * Verifies what a user typed: a TOTP code (±`window` steps, never a step at or before the last accepted one) or a
 * backup code (each works once). Unknown, pending and locked users are answered without looking at the code.
 * A wrong or replayed code for an active user counts toward the lockout; a malformed one is refused uncounted.
 */
export async function verifyUserCode(store: TotpStore, name: string, typed: string, env: VerifyEnv): Promise<TotpVerdict> {
  const user = store.repo.byName(name);
  if (!user) {
    // Probing for user names is an authentication failure too, for the client's address.
    if (env.ip && env.countFailure) env.countFailure(env.ip, 'totp unknown user', env.now);
    return { code: 'UNKNOWN_USER', valid: false, user: name };
  }
  if (user.status === 'pending') return { code: 'PENDING', valid: false, user: name };
  if (isLocked(user.lockedUntil, env.now)) return { code: 'LOCKED', valid: false, user: name, lockedUntil: iso(user.lockedUntil as number) };
  const shape = classifyCode(typed);
  // Not a code at all (a caller's bug, not a guess): answered without counting, like the CLI's usage error.
  if (shape.kind === 'malformed') return { code: 'MALFORMED', valid: false, user: name };
  if (shape.kind === 'totp') {
    const seed = open(store.seedKey, user.seedSealed, user.id);
    let check;
    try {
      check = checkTotp(seed, user, shape.code, { nowMs: env.now, window: env.window, lastStep: user.lastStep });
    } finally {
      seed.fill(0);
    }
    if (!check.valid) return failed(store, user, check.reason === 'replayed' ? 'REPLAYED' : 'INVALID', env);
    const timeStep = check.timeStep;
    const accepted = store.db.transaction(() => {
      if (!store.repo.acceptStep(user.id, timeStep, env.now)) return false;
      store.repo.clearFailures(user.id);
      return true;
    }).immediate();
    // Another process accepted this step (or a later one) between our read and our write: this one is a replay.
    if (!accepted) return failed(store, user, 'REPLAYED', env);
    return { code: 'VALID', valid: true, user: name, method: 'totp', drift: check.delta };
  }
  const argon2 = await import('argon2');
  let match: { idx: number; hash: string } | undefined;
  // Every unused code is tried (no early exit), so the time taken says nothing about which one matched.
  for (const row of store.repo.unusedBackupCodes(user.id)) {
    let ok = false;
    try {
      ok = await argon2.verify(row.hash, shape.code);
    } catch {
      ok = false;
    }
    if (ok && !match) match = row;
  }
  const used = match
    ? store.db.transaction(() => {
        const m = match as { idx: number; hash: string };
        if (!store.repo.useBackupCode(user.id, m.idx, m.hash, env.now)) return undefined;
        store.repo.touch(user.id, env.now);
        store.repo.clearFailures(user.id);
        const left = store.repo.backupCodesLeft(user.id);
        store.audit('totp.backup-code.use', { id: user.id, user: name, index: m.idx, left, ip: env.ip });
        return left;
      }).immediate()
    : undefined;
  if (used === undefined) return failed(store, user, 'INVALID', env);
  return { code: 'VALID_BACKUP_CODE', valid: true, user: name, method: 'backup-code', backupCodesLeft: used };
}

export interface Confirmed {
  readonly user: TotpUser;
  /** Shown once, as xxxxx-xxxxx; stored only as argon2id hashes. */
  readonly backupCodes: string[];
}

/**
 * Confirms a pending enrollment with a current code, then issues 10 backup codes. A wrong code counts as a failure.
 * Audit point: `totp.confirm` (id, user, backup code count), in the transaction that activates the user.
 */
export async function confirmUser(store: TotpStore, name: string, typed: string, env: VerifyEnv & { random: RandomSource }): Promise<Confirmed | TotpVerdict> {
  const user = requireUser(store, name);
  if (user.status !== 'pending') throw usageError(`user '${name}' is already confirmed: use agentsec totp verify, or enroll --force to start over`);
  if (isLocked(user.lockedUntil, env.now)) return { code: 'LOCKED', valid: false, user: name, lockedUntil: iso(user.lockedUntil as number) };
  const shape = classifyCode(typed);
  if (shape.kind !== 'totp') return failed(store, user, 'INVALID', env);
  const seed = open(store.seedKey, user.seedSealed, user.id);
  let check;
  try {
    check = checkTotp(seed, user, shape.code, { nowMs: env.now, window: env.window, lastStep: null });
  } finally {
    seed.fill(0);
  }
  if (!check.valid) return failed(store, user, 'INVALID', env);
  const codes = generateBackupCodes(env.random);
  const hashes = await hashBackupCodes(codes);
  const step = check.timeStep;
  store.db.transaction(() => {
    const current = store.repo.byName(name);
    if (current?.id !== user.id || !store.repo.activate(user.id, env.now, step)) {
      throw usageError(`user '${name}' changed while confirming (confirmed or re-enrolled elsewhere): check agentsec totp list`);
    }
    store.repo.replaceBackupCodes(user.id, hashes);
    store.repo.clearFailures(user.id);
    store.audit('totp.confirm', { id: user.id, user: name, backupCodes: hashes.length });
  }).immediate();
  return { user: requireUser(store, name), backupCodes: codes.map(formatBackupCode) };
}

/**
 * Replaces an active user's backup codes. `deliver` receives the new codes before anything is stored: the old codes
 * are replaced only once it has resolved, so codes that never reached anyone never replace working ones.
 * Audit point: `totp.backup-codes.regenerate` (id, user, count).
 */
export async function regenerateBackupCodes(store: TotpStore, name: string, random: RandomSource, deliver: (codes: string[]) => Promise<void> = async () => {}): Promise<string[]> {
  const user = requireUser(store, name);
  if (user.status !== 'active') throw usageError(`user '${name}' is not confirmed yet: run agentsec totp confirm ${name} first`);
  const codes = generateBackupCodes(random);
  const hashes = await hashBackupCodes(codes);
  await deliver(codes.map(formatBackupCode));
  store.db.transaction(() => {
    if (store.repo.byName(name)?.id !== user.id) throw usageError(`user '${name}' was re-enrolled meanwhile: run the command again`);
    store.repo.replaceBackupCodes(user.id, hashes);
    store.audit('totp.backup-codes.regenerate', { id: user.id, user: name, backupCodes: hashes.length });
  }).immediate();
  return codes.map(formatBackupCode);
}

/** Removes a user, seed, backup codes and failures. Audit point: `totp.remove` (id, user). */
export function removeUser(store: TotpStore, name: string): TotpUser {
  return store.db.transaction(() => {
    const user = requireUser(store, name);
    store.repo.delete(user.id);
    store.audit('totp.remove', { id: user.id, user: name });
    return user;
  }).immediate();
}

export { requireUser };
