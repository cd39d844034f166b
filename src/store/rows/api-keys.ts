/**
 * The api_keys table's rows as both backends read them (the column names and types are the same in SQLite
 * and PostgreSQL), and their mapping to the repository's records.
 */
import type { ApiKeyRecord } from '../../core/apikeys/record.js';
import type { Role } from '../../core/apikeys/permissions.js';

export interface Row {
  id: string;
  name: string;
  prefix: string;
  last4: string;
  key_hmac: Buffer;
  role: string | null;
  scopes: string;
  allow_ips: string;
  meta: string;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
  revoke_reason: string | null;
  last_used_at: number | null;
  rotated_from: string | null;
  rotated_to: string | null;
}

export function toRecord(r: Row): ApiKeyRecord {
  return {
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    last4: r.last4,
    role: r.role as Role | null,
    scopes: JSON.parse(r.scopes) as string[],
    allowIps: JSON.parse(r.allow_ips) as string[],
    meta: JSON.parse(r.meta) as Record<string, string>,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
    revokeReason: r.revoke_reason,
    lastUsedAt: r.last_used_at,
    rotatedFrom: r.rotated_from,
    rotatedTo: r.rotated_to,
  };
}
