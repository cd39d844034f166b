import type { BackupCodeRow, NewTotpUser, TotpRepository, TotpUser } from '../totp.js';
import type { Exec } from './exec.js';
import { type Row, toUser } from '../rows/totp.js';

/**
 * The totp_* tables. The compare-and-set UPDATEs (`activate`, `acceptStep`, `useBackupCode`) hold across hosts by
 * themselves: under READ COMMITTED a second UPDATE of the same row waits for the first to commit and then re-checks
 * its WHERE against the committed row, so only one caller sees a row changed.
 */
export class PgTotpRepo implements TotpRepository {
  constructor(private readonly q: Exec) {}

  async insert(u: NewTotpUser): Promise<void> {
    await this.q.query(
      `INSERT INTO totp_users (id, name, issuer, algorithm, digits, period, seed_sealed, status, created_at, confirmed_at, last_used_at, last_step, locked_until)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, NULL, NULL, NULL, NULL)`,
      [u.id, u.name, u.issuer, u.algorithm, u.digits, u.period, u.seedSealed, u.createdAt],
    );
  }

  async byName(name: string): Promise<TotpUser | undefined> {
    const row = (await this.q.query<Row>('SELECT * FROM totp_users WHERE name = $1', [name])).rows[0];
    return row ? toUser(row) : undefined;
  }

  async list(): Promise<TotpUser[]> {
    return (await this.q.query<Row>('SELECT * FROM totp_users ORDER BY name')).rows.map(toUser);
  }

  async delete(id: string): Promise<boolean> {
    return (await this.q.query('DELETE FROM totp_users WHERE id = $1', [id])).rowCount > 0;
  }

  async activate(id: string, at: number, step: number): Promise<boolean> {
    return (await this.q.query("UPDATE totp_users SET status = 'active', confirmed_at = $1, last_used_at = $1, last_step = $2 WHERE id = $3 AND status = 'pending'", [at, step, id])).rowCount > 0;
  }

  async acceptStep(id: string, step: number, at: number): Promise<boolean> {
    return (await this.q.query('UPDATE totp_users SET last_step = $1, last_used_at = $2 WHERE id = $3 AND (last_step IS NULL OR last_step < $1)', [step, at, id])).rowCount > 0;
  }

  async touch(id: string, at: number): Promise<void> {
    await this.q.query('UPDATE totp_users SET last_used_at = $1 WHERE id = $2', [at, id]);
  }

  async setLockedUntil(id: string, until: number | null): Promise<void> {
    await this.q.query('UPDATE totp_users SET locked_until = $1 WHERE id = $2', [until, id]);
  }

  async replaceBackupCodes(userId: string, hashes: readonly string[]): Promise<void> {
    await this.q.query('DELETE FROM totp_backup_codes WHERE user_id = $1', [userId]);
    if (hashes.length === 0) return;
    // One statement for the whole set: unnest keeps the positions 0, 1, … with their hashes.
    await this.q.query('INSERT INTO totp_backup_codes (user_id, idx, code_hash, used_at) SELECT $1, i - 1, h, NULL FROM unnest($2::text[]) WITH ORDINALITY AS c(h, i)', [userId, [...hashes]]);
  }

  async unusedBackupCodes(userId: string): Promise<BackupCodeRow[]> {
    const r = await this.q.query<{ idx: number; code_hash: string }>('SELECT idx, code_hash FROM totp_backup_codes WHERE user_id = $1 AND used_at IS NULL ORDER BY idx', [userId]);
    return r.rows.map((row) => ({ idx: row.idx, hash: row.code_hash }));
  }

  async useBackupCode(userId: string, idx: number, hash: string, at: number): Promise<boolean> {
    return (await this.q.query('UPDATE totp_backup_codes SET used_at = $1 WHERE user_id = $2 AND idx = $3 AND used_at IS NULL AND code_hash = $4', [at, userId, idx, hash])).rowCount > 0;
  }

  async backupCodesLeft(userId: string): Promise<number> {
    return (await this.q.query<{ n: number }>('SELECT count(*) AS n FROM totp_backup_codes WHERE user_id = $1 AND used_at IS NULL', [userId])).rows[0]?.n ?? 0;
  }

  async recordFailure(userId: string, at: number, ip: string | null, reason: string): Promise<void> {
    await this.q.query('INSERT INTO totp_failures (user_id, at, ip, reason) VALUES ($1, $2, $3, $4)', [userId, at, ip, reason]);
  }

  async failuresSince(userId: string, since: number): Promise<number[]> {
    return (await this.q.query<{ at: number }>('SELECT at FROM totp_failures WHERE user_id = $1 AND at > $2', [userId, since])).rows.map((r) => r.at);
  }

  async pruneFailures(userId: string, before: number): Promise<void> {
    await this.q.query('DELETE FROM totp_failures WHERE user_id = $1 AND at <= $2', [userId, before]);
  }

  async clearFailures(userId: string): Promise<void> {
    await this.q.query('DELETE FROM totp_failures WHERE user_id = $1', [userId]);
  }
}
