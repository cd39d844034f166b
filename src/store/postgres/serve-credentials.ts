import type { CredentialKind, CredentialRecord, PullState, ServeCredentialsRepository } from '../serve-credentials.js';
import type { Exec } from './exec.js';
import { type Row, toRecord } from '../rows/serve-credentials.js';

/**
 * The serve_credentials table (see the SQLite twin): only the secret's HMAC is stored, and it leaves only towards
 * verification. Shared by every host of a fleet, so not scoped to an origin.
 */
export class PgServeCredentialsRepo implements ServeCredentialsRepository {
  constructor(private readonly q: Exec) {}

  async insert(r: CredentialRecord, secretHmac: Buffer): Promise<void> {
    await this.q.query(
      `INSERT INTO serve_credentials (id, kind, name, last4, secret_hmac, scopes, created_at, revoked_at, last_used_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [r.id, r.kind, r.name, r.last4, secretHmac, JSON.stringify(r.scopes), r.createdAt, r.revokedAt, r.lastUsedAt],
    );
  }

  async findByHmac(hmac: Buffer): Promise<{ record: CredentialRecord; hmac: Buffer } | undefined> {
    const row = (await this.q.query<Row>('SELECT * FROM serve_credentials WHERE secret_hmac = $1', [hmac])).rows[0];
    return row ? { record: toRecord(row), hmac: row.secret_hmac } : undefined;
  }

  async byName(kind: CredentialKind, name: string): Promise<CredentialRecord | undefined> {
    const row = (await this.q.query<Row>('SELECT * FROM serve_credentials WHERE kind = $1 AND name = $2', [kind, name])).rows[0];
    return row ? toRecord(row) : undefined;
  }

  async list(kind: CredentialKind, opts: { all: boolean }): Promise<CredentialRecord[]> {
    const r = opts.all
      ? await this.q.query<Row>('SELECT * FROM serve_credentials WHERE kind = $1 ORDER BY created_at, id', [kind])
      : await this.q.query<Row>('SELECT * FROM serve_credentials WHERE kind = $1 AND revoked_at IS NULL ORDER BY created_at, id', [kind]);
    return r.rows.map(toRecord);
  }

  async revoke(id: string, at: number): Promise<boolean> {
    // The first revocation's time stands: a concurrent second UPDATE waits, re-checks the WHERE and changes nothing.
    return (await this.q.query('UPDATE serve_credentials SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [at, id])).rowCount > 0;
  }

  async delete(id: string): Promise<boolean> {
    return (await this.q.query('DELETE FROM serve_credentials WHERE id = $1', [id])).rowCount > 0;
  }

  async touchLastUsed(id: string, at: number): Promise<void> {
    await this.q.query('UPDATE serve_credentials SET last_used_at = $1 WHERE id = $2 AND (last_used_at IS NULL OR last_used_at < $1)', [at, id]);
  }

  async pullState(id: string): Promise<PullState | undefined> {
    const row = (await this.q.query<Pick<Row, 'last_pull_at' | 'last_event_id'>>('SELECT last_pull_at, last_event_id FROM serve_credentials WHERE id = $1', [id])).rows[0];
    if (!row || row.last_pull_at === null || row.last_event_id === null) return undefined;
    return { at: row.last_pull_at, eventId: row.last_event_id };
  }

  async setPullState(id: string, state: PullState): Promise<void> {
    await this.q.query('UPDATE serve_credentials SET last_pull_at = $1, last_event_id = $2 WHERE id = $3', [state.at, state.eventId, id]);
  }
}
