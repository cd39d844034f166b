/**
 * The serve_credentials table's rows as both backends read them (the column names and types are the same in SQLite
 * and PostgreSQL), and their mapping to the repository's records.
 */
import type { CredentialKind, CredentialRecord } from '../serve-credentials.js';

export interface Row {
  id: string;
  kind: string;
  name: string;
  last4: string;
  secret_hmac: Buffer;
  scopes: string;
  created_at: number;
  revoked_at: number | null;
  last_used_at: number | null;
  last_pull_at: number | null;
  last_event_id: number | null;
}

export function toRecord(r: Row): CredentialRecord {
  return {
    id: r.id,
    kind: r.kind as CredentialKind,
    name: r.name,
    last4: r.last4,
    scopes: JSON.parse(r.scopes) as string[],
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
    lastUsedAt: r.last_used_at,
  };
}
