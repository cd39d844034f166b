/**
 * The totp_* tables' rows as both backends read them (the column names and types are the same in SQLite
 * and PostgreSQL), and their mapping to the repository's records.
 */
import type { TotpAlgorithm, TotpDigits } from '../../core/totp/params.js';
import type { TotpStatus, TotpUser } from '../totp.js';

export interface Row {
  id: string;
  name: string;
  issuer: string;
  algorithm: string;
  digits: number;
  period: number;
  seed_sealed: Buffer;
  status: string;
  created_at: number;
  confirmed_at: number | null;
  last_used_at: number | null;
  last_step: number | null;
  locked_until: number | null;
}

export function toUser(r: Row): TotpUser {
  return {
    id: r.id,
    name: r.name,
    issuer: r.issuer,
    algorithm: r.algorithm as TotpAlgorithm,
    digits: r.digits as TotpDigits,
    period: r.period,
    seedSealed: r.seed_sealed,
    status: r.status as TotpStatus,
    createdAt: r.created_at,
    confirmedAt: r.confirmed_at,
    lastUsedAt: r.last_used_at,
    lastStep: r.last_step,
    lockedUntil: r.locked_until,
  };
}
