import type { TotpAlgorithm, TotpDigits } from '../core/totp/params.js';

export type TotpStatus = 'pending' | 'active';

export interface TotpUser {
  readonly id: string;
  readonly name: string;
  readonly issuer: string;
  readonly algorithm: TotpAlgorithm;
  readonly digits: TotpDigits;
  readonly period: number;
  /** The seed, sealed under the master key's TOTP subkey with the id as associated data: never stored in clear. */
  readonly seedSealed: Buffer;
  readonly status: TotpStatus;
  readonly createdAt: number;
  readonly confirmedAt: number | null;
  readonly lastUsedAt: number | null;
  /** The last accepted time step: the replay guard. */
  readonly lastStep: number | null;
  readonly lockedUntil: number | null;
}

/** An unused backup code: its position in the set and its argon2id hash (never the code). */
export interface BackupCodeRow {
  readonly idx: number;
  readonly hash: string;
}

export type NewTotpUser = Pick<TotpUser, 'id' | 'name' | 'issuer' | 'algorithm' | 'digits' | 'period' | 'seedSealed' | 'createdAt'>;

/**
 * TOTP users (seeds sealed under the master key), their backup-code hashes and counted failures. Times in ms. The
 * compare-and-set methods (`activate`, `acceptStep`, `useBackupCode`) are what keep one VALID per code and one use
 * per backup code across processes; the service calls them inside `store.transaction`.
 */
export interface TotpRepository {
  /** A new user, pending; a name already taken is refused (unique). */
  insert(u: NewTotpUser): Promise<void>;
  byName(name: string): Promise<TotpUser | undefined>;
  /** Every user, by name. */
  list(): Promise<TotpUser[]>;
  /** Deletes the user with its backup codes and failures; false when there was none. */
  delete(id: string): Promise<boolean>;
  /** Pending to active at the confirming step (which then cannot be replayed); false when it was not pending. */
  activate(id: string, at: number, step: number): Promise<boolean>;
  /** Records an accepted step only if it is later than the last one: the replay guard. False when it was not. */
  acceptStep(id: string, step: number, at: number): Promise<boolean>;
  touch(id: string, at: number): Promise<void>;
  setLockedUntil(id: string, until: number | null): Promise<void>;
  /** Replaces every backup code of the user with these hashes (positions 0, 1, …). */
  replaceBackupCodes(userId: string, hashes: readonly string[]): Promise<void>;
  /** Unused codes, by position. */
  unusedBackupCodes(userId: string): Promise<BackupCodeRow[]>;
  /** Marks one unused code used, if it still has this hash; false when another use (or a regeneration) won. */
  useBackupCode(userId: string, idx: number, hash: string, at: number): Promise<boolean>;
  backupCodesLeft(userId: string): Promise<number>;
  recordFailure(userId: string, at: number, ip: string | null, reason: string): Promise<void>;
  /** Times of the user's failures after `since` (any later time too: see core/totp/lockout.ts). */
  failuresSince(userId: string, since: number): Promise<number[]>;
  /** Forgets failures at or before `before`, which can no longer count. */
  pruneFailures(userId: string, before: number): Promise<void>;
  clearFailures(userId: string): Promise<void>;
}
