/** What a serve credential is for: an app of the app API, or a CrowdSec bouncer of the decision API. */
export type CredentialKind = 'app' | 'bouncer';

/** A serve credential as stored: everything but the secret, of which only an HMAC is kept. */
export interface CredentialRecord {
  /** A random public id (`crd_` + base62), never derived from the secret. */
  readonly id: string;
  readonly kind: CredentialKind;
  readonly name: string;
  /** The last four characters of the secret (its public checksum), for lists. */
  readonly last4: string;
  /** What an app token may call; empty for bouncers. */
  readonly scopes: readonly string[];
  /** Epoch milliseconds. */
  readonly createdAt: number;
  readonly revokedAt: number | null;
  readonly lastUsedAt: number | null;
}

/** How far a bouncer's last stream pull read: its time, and the newest block-history event id it covered. */
export interface PullState {
  readonly at: number;
  readonly eventId: number;
}

/**
 * App tokens and bouncer keys. Revoked app tokens stay (their names stay taken, for the audit trail); bouncers are
 * deleted outright, as `cscli bouncers delete` does. Only verification gets the HMAC back, for its constant-time
 * comparison.
 */
export interface ServeCredentialsRepository {
  /** Fails (a store error) when the kind already has a credential of this name or the HMAC exists. */
  insert(record: CredentialRecord, secretHmac: Buffer): Promise<void>;
  findByHmac(hmac: Buffer): Promise<{ record: CredentialRecord; hmac: Buffer } | undefined>;
  byName(kind: CredentialKind, name: string): Promise<CredentialRecord | undefined>;
  /** Unrevoked credentials of `kind`, or every one with `all`; oldest first. */
  list(kind: CredentialKind, opts: { all: boolean }): Promise<CredentialRecord[]>;
  /** False when it was already revoked (the first revocation's time stands) or does not exist. */
  revoke(id: string, at: number): Promise<boolean>;
  /** False when there was none. */
  delete(id: string): Promise<boolean>;
  /** A hint, written at most once a minute per credential by callers; never moves backwards. */
  touchLastUsed(id: string, at: number): Promise<void>;
  /** Undefined until the first stream pull. */
  pullState(id: string): Promise<PullState | undefined>;
  setPullState(id: string, state: PullState): Promise<void>;
}
