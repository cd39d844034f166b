import type { ApiKeyRecord } from '../../core/apikeys/record.js';
import type { ApiKeysRepository } from '../api-keys.js';
import type { Db } from '../db.js';
import type { Sync } from './async-repo.js';
import { type Row, toRecord } from '../rows/api-keys.js';

/** The api_keys table. Never returns the HMAC except to verification, which needs it for the constant-time check. */
export class ApiKeysRepo implements Sync<ApiKeysRepository> {
  private readonly insertStmt;
  private readonly byHmacStmt;
  private readonly byIdStmt;
  private readonly listAllStmt;
  private readonly listActiveStmt;
  private readonly touchStmt;
  private readonly revokeStmt;
  private readonly expireStmt;
  private readonly rotatedToStmt;

  constructor(db: Db) {
    this.insertStmt = db.prepare(`INSERT INTO api_keys
      (id, name, prefix, last4, key_hmac, role, scopes, allow_ips, meta, created_at, expires_at, revoked_at, revoke_reason, last_used_at, rotated_from, rotated_to)
      VALUES (@id, @name, @prefix, @last4, @key_hmac, @role, @scopes, @allow_ips, @meta, @created_at, @expires_at, @revoked_at, @revoke_reason, @last_used_at, @rotated_from, @rotated_to)`);
    this.byHmacStmt = db.prepare<[Buffer], Row>('SELECT * FROM api_keys WHERE key_hmac = ?');
    this.byIdStmt = db.prepare<[string], Row>('SELECT * FROM api_keys WHERE id = ?');
    this.listAllStmt = db.prepare<[], Row>('SELECT * FROM api_keys ORDER BY created_at, id');
    this.listActiveStmt = db.prepare<[number], Row>(
      'SELECT * FROM api_keys WHERE revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?) ORDER BY created_at, id',
    );
    this.touchStmt = db.prepare<[number, string, number]>('UPDATE api_keys SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)');
    this.revokeStmt = db.prepare<[number, string | null, string]>('UPDATE api_keys SET revoked_at = ?, revoke_reason = ? WHERE id = ? AND revoked_at IS NULL');
    this.expireStmt = db.prepare<[number, string]>('UPDATE api_keys SET expires_at = ? WHERE id = ?');
    this.rotatedToStmt = db.prepare<[string, string]>('UPDATE api_keys SET rotated_to = ? WHERE id = ?');
  }

  insert(record: ApiKeyRecord, keyHmac: Buffer): void {
    this.insertStmt.run({
      id: record.id,
      name: record.name,
      prefix: record.prefix,
      last4: record.last4,
      key_hmac: keyHmac,
      role: record.role,
      scopes: JSON.stringify(record.scopes),
      allow_ips: JSON.stringify(record.allowIps),
      meta: JSON.stringify(record.meta),
      created_at: record.createdAt,
      expires_at: record.expiresAt,
      revoked_at: record.revokedAt,
      revoke_reason: record.revokeReason,
      last_used_at: record.lastUsedAt,
      rotated_from: record.rotatedFrom,
      rotated_to: record.rotatedTo,
    });
  }

  findByHmac(hmac: Buffer): { record: ApiKeyRecord; hmac: Buffer } | undefined {
    const row = this.byHmacStmt.get(hmac);
    return row ? { record: toRecord(row), hmac: row.key_hmac } : undefined;
  }

  get(id: string): ApiKeyRecord | undefined {
    const row = this.byIdStmt.get(id);
    return row ? toRecord(row) : undefined;
  }

  /** Active keys, or every key with `all`. Oldest first. */
  list(opts: { all: boolean; now: number }): ApiKeyRecord[] {
    return (opts.all ? this.listAllStmt.all() : this.listActiveStmt.all(opts.now)).map(toRecord);
  }

  touchLastUsed(id: string, at: number): void {
    this.touchStmt.run(at, id, at);
  }

  /** Returns false when the key was already revoked (the first revocation's time and reason stand). */
  revoke(id: string, at: number, reason: string | null): boolean {
    return this.revokeStmt.run(at, reason, id).changes > 0;
  }

  setExpiry(id: string, expiresAt: number): void {
    this.expireStmt.run(expiresAt, id);
  }

  setRotatedTo(id: string, newId: string): void {
    this.rotatedToStmt.run(newId, id);
  }
}
