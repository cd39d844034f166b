/** The TOTP service's dependencies and verdicts, shared by services/totp.ts and its checks (totp/check.ts). */
import type { RandomSource } from '../../core/crypto/seal.js';
import { usageError } from '../../core/errors.js';
import type { LockoutPolicy } from '../../core/totp/lockout.js';
import type { Store, Tx } from '../../store/store.js';
import type { TotpUser } from '../../store/totp.js';
import type { AuditSink } from '../audit-sink.js';
import type { AuthFailureFeed } from '../auth-failures.js';

export interface TotpDeps {
  readonly store: Store;
  readonly audit: AuditSink;
  readonly clock: () => Date;
  readonly random: RandomSource;
  /** The master key's TOTP subkey, which seals seeds; empty when opened without it (list, remove, backup codes). */
  readonly seedKey: Buffer;
  readonly policy: LockoutPolicy;
}

export type VerdictCode = 'VALID' | 'VALID_BACKUP_CODE' | 'INVALID' | 'REPLAYED' | 'LOCKED' | 'PENDING' | 'UNKNOWN_USER' | 'MALFORMED';

export interface TotpVerdict {
  readonly code: VerdictCode;
  readonly valid: boolean;
  readonly user: string;
  readonly method?: 'totp' | 'backup-code';
  /** Steps between the code and now (negative: the client's clock is behind). */
  readonly drift?: number;
  readonly backupCodesLeft?: number;
  /** Failures inside the lockout window after this attempt. */
  readonly failures?: number;
  readonly lockedUntil?: string;
}

/** One attempt: its instant (read once), the accepted window, the client's address and where its failures go. */
export interface AttemptContext {
  readonly now: number;
  readonly window: number;
  readonly ip: string | null;
  readonly failureFeed: AuthFailureFeed | undefined;
}

export function requireSeedKey(d: Pick<TotpDeps, 'seedKey'>): Buffer {
  if (d.seedKey.length === 0) throw usageError('the master key is needed for this operation');
  return d.seedKey;
}

/** The user called `name` as `repos` sees it (the store, or an open transaction), or a usage error. */
export async function requireUserIn(repos: Store | Tx, name: string): Promise<TotpUser> {
  const u = await repos.totp.byName(name);
  if (!u) throw usageError(`no TOTP user '${name}': see agentsec totp list`);
  return u;
}
