import type { Statement } from 'better-sqlite3';
import type { Db } from '../db.js';
import type { CredentialKind, CredentialRecord, PullState, ServeCredentialsRepository } from '../serve-credentials.js';
import type { Sync } from './async-repo.js';
import { type Row, toRecord } from '../rows/serve-credentials.js';

/** The serve_credentials table. */
export class ServeCredentialsRepo implements Sync<ServeCredentialsRepository> {
  private readonly s: Record<string, Statement>;

  constructor(db: Db) {
    const p = (sql: string) => db.prepare(sql);
    this.s = {
      insert: p(`INSERT INTO serve_credentials (id, kind, name, last4, secret_hmac, scopes, created_at, revoked_at, last_used_at)
        VALUES (@id, @kind, @name, @last4, @hmac, @scopes, @createdAt, @revokedAt, @lastUsedAt)`),
      byHmac: p('SELECT * FROM serve_credentials WHERE secret_hmac = ?'),
      byName: p('SELECT * FROM serve_credentials WHERE kind = ? AND name = ?'),
      listAll: p('SELECT * FROM serve_credentials WHERE kind = ? ORDER BY created_at, id'),
      listActive: p('SELECT * FROM serve_credentials WHERE kind = ? AND revoked_at IS NULL ORDER BY created_at, id'),
      revoke: p('UPDATE serve_credentials SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL'),
      delete: p('DELETE FROM serve_credentials WHERE id = ?'),
      touch: p('UPDATE serve_credentials SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)'),
      pull: p('SELECT last_pull_at, last_event_id FROM serve_credentials WHERE id = ?'),
      setPull: p('UPDATE serve_credentials SET last_pull_at = ?, last_event_id = ? WHERE id = ?'),
    };
  }

  private st(name: string): Statement {
    return this.s[name] as Statement;
  }

  insert(r: CredentialRecord, secretHmac: Buffer): void {
    this.st('insert').run({ id: r.id, kind: r.kind, name: r.name, last4: r.last4, hmac: secretHmac, scopes: JSON.stringify(r.scopes), createdAt: r.createdAt, revokedAt: r.revokedAt, lastUsedAt: r.lastUsedAt });
  }

  findByHmac(hmac: Buffer): { record: CredentialRecord; hmac: Buffer } | undefined {
    const row = this.st('byHmac').get(hmac) as Row | undefined;
    return row ? { record: toRecord(row), hmac: row.secret_hmac } : undefined;
  }

  byName(kind: CredentialKind, name: string): CredentialRecord | undefined {
    const row = this.st('byName').get(kind, name) as Row | undefined;
    return row ? toRecord(row) : undefined;
  }

  list(kind: CredentialKind, opts: { all: boolean }): CredentialRecord[] {
    return ((opts.all ? this.st('listAll') : this.st('listActive')).all(kind) as Row[]).map(toRecord);
  }

  revoke(id: string, at: number): boolean {
    return this.st('revoke').run(at, id).changes > 0;
  }

  delete(id: string): boolean {
    return this.st('delete').run(id).changes > 0;
  }

  touchLastUsed(id: string, at: number): void {
    this.st('touch').run(at, id, at);
  }

  pullState(id: string): PullState | undefined {
    const row = this.st('pull').get(id) as Pick<Row, 'last_pull_at' | 'last_event_id'> | undefined;
    if (!row || row.last_pull_at === null || row.last_event_id === null) return undefined;
    return { at: row.last_pull_at, eventId: row.last_event_id };
  }

  setPullState(id: string, state: PullState): void {
    this.st('setPull').run(state.at, state.eventId, id);
  }
}
