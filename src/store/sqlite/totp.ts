import type { Db } from '../db.js';
import type { BackupCodeRow, NewTotpUser, TotpRepository, TotpUser } from '../totp.js';
import type { Sync } from './async-repo.js';
import { type Row, toUser } from '../rows/totp.js';

/** The totp_* tables. Seeds leave only sealed; backup codes only as hashes. */
export class TotpRepo implements Sync<TotpRepository> {
  private readonly insertStmt;
  private readonly byNameStmt;
  private readonly listStmt;
  private readonly deleteStmt;
  private readonly activateStmt;
  private readonly acceptStepStmt;
  private readonly lockStmt;
  private readonly insertCodeStmt;
  private readonly deleteCodesStmt;
  private readonly unusedCodesStmt;
  private readonly useCodeStmt;
  private readonly countUnusedStmt;
  private readonly insertFailureStmt;
  private readonly failuresSinceStmt;
  private readonly clearFailuresStmt;
  private readonly pruneFailuresStmt;
  private readonly touchStmt;

  constructor(db: Db) {
    this.insertStmt = db.prepare(`INSERT INTO totp_users
      (id, name, issuer, algorithm, digits, period, seed_sealed, status, created_at, confirmed_at, last_used_at, last_step, locked_until)
      VALUES (@id, @name, @issuer, @algorithm, @digits, @period, @seed_sealed, @status, @created_at, NULL, NULL, NULL, NULL)`);
    this.byNameStmt = db.prepare<[string], Row>('SELECT * FROM totp_users WHERE name = ?');
    this.listStmt = db.prepare<[], Row>('SELECT * FROM totp_users ORDER BY name');
    this.deleteStmt = db.prepare<[string]>('DELETE FROM totp_users WHERE id = ?');
    this.activateStmt = db.prepare<[number, number, number, string]>(
      "UPDATE totp_users SET status = 'active', confirmed_at = ?, last_used_at = ?, last_step = ? WHERE id = ? AND status = 'pending'",
    );
    // The compare-and-set that makes replay protection hold across processes: only a step newer than the stored one wins.
    this.acceptStepStmt = db.prepare<[number, number, string, number]>(
      'UPDATE totp_users SET last_step = ?, last_used_at = ? WHERE id = ? AND (last_step IS NULL OR last_step < ?)',
    );
    this.touchStmt = db.prepare<[number, string]>('UPDATE totp_users SET last_used_at = ? WHERE id = ?');
    this.lockStmt = db.prepare<[number | null, string]>('UPDATE totp_users SET locked_until = ? WHERE id = ?');
    this.insertCodeStmt = db.prepare<[string, number, string]>('INSERT INTO totp_backup_codes (user_id, idx, code_hash, used_at) VALUES (?, ?, ?, NULL)');
    this.deleteCodesStmt = db.prepare<[string]>('DELETE FROM totp_backup_codes WHERE user_id = ?');
    this.unusedCodesStmt = db.prepare<[string], { idx: number; code_hash: string }>('SELECT idx, code_hash FROM totp_backup_codes WHERE user_id = ? AND used_at IS NULL ORDER BY idx');
    this.useCodeStmt = db.prepare<[number, string, number, string]>(
      'UPDATE totp_backup_codes SET used_at = ? WHERE user_id = ? AND idx = ? AND used_at IS NULL AND code_hash = ?',
    );
    this.countUnusedStmt = db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM totp_backup_codes WHERE user_id = ? AND used_at IS NULL');
    this.insertFailureStmt = db.prepare<[string, number, string | null, string]>('INSERT INTO totp_failures (user_id, at, ip, reason) VALUES (?, ?, ?, ?)');
    this.failuresSinceStmt = db.prepare<[string, number], { at: number }>('SELECT at FROM totp_failures WHERE user_id = ? AND at > ?');
    this.clearFailuresStmt = db.prepare<[string]>('DELETE FROM totp_failures WHERE user_id = ?');
    this.pruneFailuresStmt = db.prepare<[string, number]>('DELETE FROM totp_failures WHERE user_id = ? AND at <= ?');
  }

  insert(u: NewTotpUser): void {
    this.insertStmt.run({
      id: u.id,
      name: u.name,
      issuer: u.issuer,
      algorithm: u.algorithm,
      digits: u.digits,
      period: u.period,
      seed_sealed: u.seedSealed,
      status: 'pending',
      created_at: u.createdAt,
    });
  }

  byName(name: string): TotpUser | undefined {
    const row = this.byNameStmt.get(name);
    return row ? toUser(row) : undefined;
  }

  list(): TotpUser[] {
    return this.listStmt.all().map(toUser);
  }

  /** Deletes the user with its backup codes and failures (ON DELETE CASCADE). */
  delete(id: string): boolean {
    return this.deleteStmt.run(id).changes > 0;
  }

  /** pending → active, remembering the confirming code's step so it cannot be replayed. False if not pending. */
  activate(id: string, at: number, step: number): boolean {
    return this.activateStmt.run(at, at, step, id).changes > 0;
  }

  /** Records an accepted step; false when an equal or newer step was accepted first (a replay, maybe concurrent). */
  acceptStep(id: string, step: number, at: number): boolean {
    return this.acceptStepStmt.run(step, at, id, step).changes > 0;
  }

  touch(id: string, at: number): void {
    this.touchStmt.run(at, id);
  }

  setLockedUntil(id: string, until: number | null): void {
    this.lockStmt.run(until, id);
  }

  replaceBackupCodes(userId: string, hashes: readonly string[]): void {
    this.deleteCodesStmt.run(userId);
    hashes.forEach((h, i) => this.insertCodeStmt.run(userId, i, h));
  }

  unusedBackupCodes(userId: string): BackupCodeRow[] {
    return this.unusedCodesStmt.all(userId).map((r) => ({ idx: r.idx, hash: r.code_hash }));
  }

  /** Marks one code used; false when it already was (or was replaced meanwhile): a used code never works again. */
  useBackupCode(userId: string, idx: number, hash: string, at: number): boolean {
    return this.useCodeStmt.run(at, userId, idx, hash).changes > 0;
  }

  backupCodesLeft(userId: string): number {
    return this.countUnusedStmt.get(userId)?.n ?? 0;
  }

  recordFailure(userId: string, at: number, ip: string | null, reason: string): void {
    this.insertFailureStmt.run(userId, at, ip, reason);
  }

  failuresSince(userId: string, since: number): number[] {
    return this.failuresSinceStmt.all(userId, since).map((r) => r.at);
  }

  /** Forgets failures that can no longer count (older than the window), so the table stays small under attack. */
  pruneFailures(userId: string, before: number): void {
    this.pruneFailuresStmt.run(userId, before);
  }

  clearFailures(userId: string): void {
    this.clearFailuresStmt.run(userId);
  }
}
