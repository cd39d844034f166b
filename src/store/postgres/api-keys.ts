import type { ApiKeyRecord } from '../../core/apikeys/record.js';
import type { ApiKeysRepository } from '../api-keys.js';
import type { Exec } from './exec.js';
import { type Row, toRecord } from '../rows/api-keys.js';

/** The api_keys table (see the SQLite twin): the HMAC leaves only towards verification. */
export class PgApiKeysRepo implements ApiKeysRepository {
  constructor(private readonly q: Exec) {}

  async insert(r: ApiKeyRecord, keyHmac: Buffer): Promise<void> {
    await this.q.query(
      `INSERT INTO api_keys (id, name, prefix, last4, key_hmac, role, scopes, allow_ips, meta, created_at, expires_at, revoked_at, revoke_reason, last_used_at, rotated_from, rotated_to)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
      [r.id, r.name, r.prefix, r.last4, keyHmac, r.role, JSON.stringify(r.scopes), JSON.stringify(r.allowIps), JSON.stringify(r.meta), r.createdAt, r.expiresAt, r.revokedAt, r.revokeReason, r.lastUsedAt, r.rotatedFrom, r.rotatedTo],
    );
  }

  async findByHmac(hmac: Buffer): Promise<{ record: ApiKeyRecord; hmac: Buffer } | undefined> {
    const row = (await this.q.query<Row>('SELECT * FROM api_keys WHERE key_hmac = $1', [hmac])).rows[0];
    return row ? { record: toRecord(row), hmac: row.key_hmac } : undefined;
  }

  async get(id: string): Promise<ApiKeyRecord | undefined> {
    const row = (await this.q.query<Row>('SELECT * FROM api_keys WHERE id = $1', [id])).rows[0];
    return row ? toRecord(row) : undefined;
  }

  async list(opts: { all: boolean; now: number }): Promise<ApiKeyRecord[]> {
    const r = opts.all
      ? await this.q.query<Row>('SELECT * FROM api_keys ORDER BY created_at, id')
      : await this.q.query<Row>('SELECT * FROM api_keys WHERE revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $1) ORDER BY created_at, id', [opts.now]);
    return r.rows.map(toRecord);
  }

  async touchLastUsed(id: string, at: number): Promise<void> {
    await this.q.query('UPDATE api_keys SET last_used_at = $1 WHERE id = $2 AND (last_used_at IS NULL OR last_used_at < $1)', [at, id]);
  }

  async revoke(id: string, at: number, reason: string | null): Promise<boolean> {
    return (await this.q.query('UPDATE api_keys SET revoked_at = $1, revoke_reason = $2 WHERE id = $3 AND revoked_at IS NULL', [at, reason, id])).rowCount > 0;
  }

  async setExpiry(id: string, expiresAt: number): Promise<void> {
    await this.q.query('UPDATE api_keys SET expires_at = $1 WHERE id = $2', [expiresAt, id]);
  }

  async setRotatedTo(id: string, newId: string): Promise<void> {
    await this.q.query('UPDATE api_keys SET rotated_to = $1 WHERE id = $2', [newId, id]);
  }
}
