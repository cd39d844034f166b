/**
 * TOTP for human operators: enroll, confirm, verify (codes and backup codes, with the replay guard and the lockout),
 * backup codes, removal. Operations are functions of explicit dependencies ({@link TotpDeps}); every change appends
 * its audit entry inside the same store transaction. Called by the `totp` commands and the library's verifyTotp
 * alike; never prints. The checks themselves (one transaction for the lockout read, the check and the count) are in
 * totp/check.ts.
 */
import { deriveSubkey, seal } from '../core/crypto/seal.js';
import { parseDuration } from '../core/duration.js';
import { usageError } from '../core/errors.js';
import { PRESETS } from '../core/passwords/argon2-params.js';
import { formatBackupCode, generateBackupCodes } from '../core/totp/backup-codes.js';
import { DEFAULT_LOCKOUT, type LockoutPolicy } from '../core/totp/lockout.js';
import { otpauthUri, seedToBase32 } from '../core/totp/otp.js';
import type { TotpParams } from '../core/totp/params.js';
import { generateSeed } from '../core/totp/seed.js';
import type { Tx } from '../store/store.js';
import type { TotpUser } from '../store/totp.js';
import type { Runtime } from './runtime.js';
import { checkConfirmation, checkOrReserve, settleBackupCode } from './totp/check.js';
import { requireSeedKey, requireUserIn, type AttemptContext, type TotpDeps, type TotpVerdict } from './totp/types.js';
import type { AuthFailureFeed } from './auth-failures.js';

export type { TotpDeps, TotpVerdict, VerdictCode } from './totp/types.js';
export type { TotpStatus, TotpUser } from '../store/totp.js';

export const TOTP_SEED_PURPOSE = 'agentsec.totp.seeds.v1';

export interface TotpService extends TotpDeps {
  /** Forgets the seed subkey and closes the store. */
  close(): Promise<void>;
}

/** The lockout policy: config.yaml totp.{maxFailures, failureWindow, lockout}, else 5 failures in 15m lock for 15m. */
export async function lockoutPolicy(rt: Runtime): Promise<LockoutPolicy> {
  const t = (await rt.config()).totp;
  return {
    maxFailures: t?.maxFailures ?? DEFAULT_LOCKOUT.maxFailures,
    windowMs: t?.failureWindow ? parseDuration(t.failureWindow, 'config totp.failureWindow') : DEFAULT_LOCKOUT.windowMs,
    lockMs: t?.lockout ? parseDuration(t.lockout, 'config totp.lockout') : DEFAULT_LOCKOUT.lockMs,
  };
}

/**
 * Opens the store for TOTP operations. `needKey` (default true) derives the subkey that seals seeds, which enrolling
 * and checking codes need; list, remove and the backup codes do without the master key. The caller closes it in
 * `finally`.
 */
export async function openTotp(rt: Runtime, opts: { needKey?: boolean } = {}): Promise<TotpService> {
  const needKey = opts.needKey ?? true;
  // The commands that check codes always read the policy before touching the store, so a bad config.yaml is refused
  // first; the others read it after the store, where they read the rest of config.yaml (the audit settings).
  const early = needKey ? await lockoutPolicy(rt) : null;
  const store = await rt.store();
  let seedKey: Buffer = Buffer.alloc(0);
  try {
    if (needKey) {
      const master = await rt.masterKey();
      seedKey = deriveSubkey(master, TOTP_SEED_PURPOSE);
      master.fill(0);
    }
    const { auditSink } = await import('./audit.js');
    const audit = await auditSink(rt, store);
    const policy = early ?? (await lockoutPolicy(rt));
    const key = seedKey;
    return {
      store,
      audit,
      clock: rt.clock,
      random: rt.random,
      seedKey,
      policy,
      close: async () => {
        key.fill(0);
        await store.close();
      },
    };
  } catch (err) {
    seedKey.fill(0);
    await store.close();
    throw err;
  }
}

/** The user called `name`, or a usage error that points at `totp list`. */
export function getUser(d: Pick<TotpDeps, 'store'>, name: string): Promise<TotpUser> {
  return requireUserIn(d.store, name);
}

/** Every user with the number of backup codes it has left, by name. Never a seed, a code or a hash. */
export async function listUsers(d: Pick<TotpDeps, 'store'>): Promise<Array<{ user: TotpUser; backupCodesLeft: number }>> {
  const users = await d.store.totp.list();
  const out: Array<{ user: TotpUser; backupCodesLeft: number }> = [];
  for (const user of users) out.push({ user, backupCodesLeft: await d.store.totp.backupCodesLeft(user.id) });
  return out;
}

/** How many unused backup codes the user has. */
export async function backupCodesLeft(d: Pick<TotpDeps, 'store'>, name: string): Promise<number> {
  const user = await requireUserIn(d.store, name);
  return d.store.totp.backupCodesLeft(user.id);
}

function newUserId(d: Pick<TotpDeps, 'random'>): string {
  return `totp_${d.random(12).toString('base64url')}`;
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
export async function enrollUser(d: TotpDeps, input: { name: string; issuer: string; params: TotpParams; force: boolean }): Promise<Enrolled> {
  const seedKey = requireSeedKey(d);
  const now = d.clock().getTime();
  const seed = generateSeed(input.params.algorithm, d.random);
  try {
    const id = newUserId(d);
    const sealed = seal(seedKey, seed, id, d.random);
    const { user, replaced } = await d.store.transaction(async (tx) => {
      const old = await tx.totp.byName(input.name);
      if (old && !input.force) throw usageError(`user '${input.name}' is already enrolled (${old.status}): pass --force to replace its seed and backup codes`);
      if (old) await tx.totp.delete(old.id);
      await tx.totp.insert({ id, name: input.name, issuer: input.issuer, ...input.params, seedSealed: sealed, createdAt: now });
      await d.audit(tx, 'totp.enroll', { id, user: input.name, issuer: input.issuer, algorithm: input.params.algorithm, digits: input.params.digits, period: input.params.period, replaced: old?.id ?? null });
      return { user: await requireUserIn(tx, input.name), replaced: old?.id ?? null };
    });
    return { user, secret: seedToBase32(seed), uri: otpauthUri(seed, input.params, input.issuer, input.name), replaced };
  } finally {
    seed.fill(0);
  }
}

/** What a verification needs besides the code: the accepted window, the client's address and where its failures go. */
export interface VerifyRequest {
  /** Time steps accepted either side of now. */
  readonly window: number;
  /** The client's address (validated, canonical), recorded with a failure. */
  readonly ip: string | null;
  /** Counts a failure against `ip` in the blocks policy, inside the failure's transaction. */
  readonly failureFeed?: AuthFailureFeed | undefined;
}

/**
 * Verifies what a user typed: a TOTP code (±`window` steps, never a step at or before the last accepted one) or a
 * backup code (each works once). Unknown, pending and locked users are answered without looking at the code.
 * A wrong or replayed code for an active user counts toward the lockout; a malformed one is refused uncounted.
 * The clock is read once, before the first transaction (see core/totp/lockout.ts for why that is safe).
 */
export async function verifyUserCode(d: TotpDeps, name: string, typed: string, req: VerifyRequest): Promise<TotpVerdict> {
  requireSeedKey(d);
  const c: AttemptContext = { now: d.clock().getTime(), window: req.window, ip: req.ip, failureFeed: req.failureFeed };
  const first = await d.store.transaction((tx) => checkOrReserve(d, tx, name, typed, c));
  if (!('candidate' in first)) return first;
  const argon2 = await import('argon2');
  let match: { idx: number; hash: string } | undefined;
  // Every unused code is tried (no early exit), so the time taken says nothing about which one matched. argon2 runs
  // between the two transactions: it is far too slow to hold the store's write lock for.
  for (const row of first.rows) {
    let ok = false;
    try {
      ok = await argon2.verify(row.hash, first.candidate);
    } catch {
      ok = false;
    }
    if (ok && !match) match = row;
  }
  return d.store.transaction((tx) => settleBackupCode(d, tx, first, match, c));
}

async function hashBackupCodes(codes: readonly string[]): Promise<string[]> {
  const argon2 = await import('argon2');
  return Promise.all(codes.map((c) => argon2.hash(c, { type: argon2.argon2id, ...PRESETS.owasp })));
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
export async function confirmUser(d: TotpDeps, name: string, typed: string, req: { window: number }): Promise<Confirmed | TotpVerdict> {
  requireSeedKey(d);
  const c: AttemptContext = { now: d.clock().getTime(), window: req.window, ip: null, failureFeed: undefined };
  const checked = await d.store.transaction((tx) => checkConfirmation(d, tx, name, typed, c));
  if ('code' in checked) return checked;
  const { user, step } = checked;
  const codes = generateBackupCodes(d.random);
  const hashes = await hashBackupCodes(codes);
  const confirmed = await d.store.transaction(async (tx) => {
    const current = await tx.totp.byName(name);
    if (current?.id !== user.id || !(await tx.totp.activate(user.id, c.now, step))) {
      throw usageError(`user '${name}' changed while confirming (confirmed or re-enrolled elsewhere): check agentsec totp list`);
    }
    await tx.totp.replaceBackupCodes(user.id, hashes);
    await tx.totp.clearFailures(user.id);
    await d.audit(tx, 'totp.confirm', { id: user.id, user: name, backupCodes: hashes.length });
    return requireUserIn(tx, name);
  });
  return { user: confirmed, backupCodes: codes.map(formatBackupCode) };
}

/** Replaces an active user's backup codes. Audit point: `totp.backup-codes.regenerate` (id, user, count). */
export async function regenerateBackupCodes(d: TotpDeps, name: string): Promise<string[]> {
  const user = await requireUserIn(d.store, name);
  if (user.status !== 'active') throw usageError(`user '${name}' is not confirmed yet: run agentsec totp confirm ${name} first`);
  const codes = generateBackupCodes(d.random);
  const hashes = await hashBackupCodes(codes);
  await d.store.transaction(async (tx) => {
    if ((await tx.totp.byName(name))?.id !== user.id) throw usageError(`user '${name}' was re-enrolled meanwhile: run the command again`);
    await tx.totp.replaceBackupCodes(user.id, hashes);
    await d.audit(tx, 'totp.backup-codes.regenerate', { id: user.id, user: name, backupCodes: hashes.length });
  });
  return codes.map(formatBackupCode);
}

/** Removes a user, seed, backup codes and failures. Audit point: `totp.remove` (id, user). */
export function removeUser(d: TotpDeps, name: string): Promise<TotpUser> {
  return d.store.transaction(async (tx: Tx) => {
    const user = await requireUserIn(tx, name);
    await tx.totp.delete(user.id);
    await d.audit(tx, 'totp.remove', { id: user.id, user: name });
    return user;
  });
}
