import type { BackupCodeRow, TotpUser } from './totp-repo.js';

export type { BackupCodeRow, TotpStatus, TotpUser } from './totp-repo.js';

/** TOTP users (seeds sealed under the master key), their backup-code hashes and counted failures. */
export interface TotpRepository {
  insert(u: Pick<TotpUser, 'id' | 'name' | 'issuer' | 'algorithm' | 'digits' | 'period' | 'seedSealed' | 'createdAt'>): Promise<void>;
  byName(name: string): Promise<TotpUser | undefined>;
  list(): Promise<TotpUser[]>;
  delete(id: string): Promise<boolean>;
  /** Pending to active at the confirming step; false when it was not pending. */
  activate(id: string, at: number, step: number): Promise<boolean>;
  /** Records an accepted step only if it is later than the last one: the replay guard. False when it was not. */
  acceptStep(id: string, step: number, at: number): Promise<boolean>;
  touch(id: string, at: number): Promise<void>;
  setLockedUntil(id: string, until: number | null): Promise<void>;
  replaceBackupCodes(userId: string, hashes: readonly string[]): Promise<void>;
  unusedBackupCodes(userId: string): Promise<BackupCodeRow[]>;
  /** Marks one unused code used; false when another use won. */
  useBackupCode(userId: string, idx: number, hash: string, at: number): Promise<boolean>;
  backupCodesLeft(userId: string): Promise<number>;
  recordFailure(userId: string, at: number, ip: string | null, reason: string): Promise<void>;
  failuresSince(userId: string, since: number): Promise<number[]>;
  pruneFailures(userId: string, before: number): Promise<void>;
  clearFailures(userId: string): Promise<void>;
}
