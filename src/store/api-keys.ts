import type { ApiKeyRecord } from '../core/apikeys/record.js';

/**
 * API keys: records plus the keyed hash of each key (never the key). Only verification gets the hash back, for its
 * constant-time comparison.
 */
export interface ApiKeysRepository {
  insert(record: ApiKeyRecord, keyHmac: Buffer): Promise<void>;
  findByHmac(hmac: Buffer): Promise<{ record: ApiKeyRecord; hmac: Buffer } | undefined>;
  get(id: string): Promise<ApiKeyRecord | undefined>;
  /** Active keys, or every key with `all`. Oldest first. */
  list(opts: { all: boolean; now: number }): Promise<ApiKeyRecord[]>;
  /** A hint, written at most once a minute per key; never moves backwards. */
  touchLastUsed(id: string, at: number): Promise<void>;
  /** False when the key was already revoked (the first revocation's time and reason stand). */
  revoke(id: string, at: number, reason: string | null): Promise<boolean>;
  setExpiry(id: string, expiresAt: number): Promise<void>;
  setRotatedTo(id: string, newId: string): Promise<void>;
}
