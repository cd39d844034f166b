import type { Ctx } from '../../cli/context.js';
import { generateApiKey, newKeyId } from '../../core/apikeys/format.js';
import type { ApiKeyRecord } from '../../core/apikeys/record.js';
import { APIKEYS_HMAC_PURPOSE, hmacApiKey } from '../../core/apikeys/verify.js';
import { deriveSubkey, type RandomSource } from '../../core/crypto/seal.js';
import { usageError } from '../../core/errors.js';
import type { ApiKeysRepo } from '../../store/api-keys-repo.js';
import type { Db } from '../../store/db.js';
import type { AuditRecorder } from '../../audit/open.js';
import type { IssueInput } from './options.js';

export interface KeysStore {
  readonly db: Db;
  readonly repo: ApiKeysRepo;
  readonly hmacKey: Buffer;
  /** Appends to the audit chain inside the current transaction. */
  readonly audit: AuditRecorder;
  close(): void;
}

/** Opens the store and derives the HMAC subkey. The caller closes it in `finally`. */
export async function openKeysStore(ctx: Ctx, opts: { needKey?: boolean } = {}): Promise<KeysStore> {
  const db = await ctx.openStore();
  try {
    const { ApiKeysRepo } = await import('../../store/api-keys-repo.js');
    let hmacKey: Buffer = Buffer.alloc(0);
    if (opts.needKey ?? true) {
      const master = await ctx.masterKey();
      hmacKey = deriveSubkey(master, APIKEYS_HMAC_PURPOSE);
      master.fill(0);
    }
    const { auditRecorder } = await import('../../audit/open.js');
    return {
      db,
      repo: new ApiKeysRepo(db),
      hmacKey,
      audit: await auditRecorder(ctx, db),
      close: () => {
        hmacKey.fill(0);
        db.close();
      },
    };
  } catch (err) {
    db.close();
    throw err;
  }
}

export interface Issued {
  /** The plaintext key: returned once, to be printed once, never stored. */
  readonly key: string;
  readonly record: ApiKeyRecord;
}

function newRecord(input: IssueInput, key: string, id: string, now: number, rotatedFrom: string | null): ApiKeyRecord {
  return {
    id,
    name: input.name,
    prefix: input.prefix,
    last4: key.slice(-4),
    role: input.role,
    scopes: input.scopes,
    allowIps: input.allowIps,
    meta: input.meta,
    createdAt: now,
    expiresAt: input.expiresAt,
    revokedAt: null,
    revokeReason: null,
    lastUsedAt: null,
    rotatedFrom,
    rotatedTo: null,
  };
}

/**
 * Issues a key. Audit point: `keys.issue` (id, name, role, scopes — never the key), appended inside this
 * transaction so the key and its audit entry land together.
 */
export function issueKey(store: KeysStore, input: IssueInput, env: { now: number; random: RandomSource }): Issued {
  const key = generateApiKey(input.prefix, env.random);
  const record = newRecord(input, key, newKeyId(env.random), env.now, null);
  store.db.transaction(() => {
    store.repo.insert(record, hmacApiKey(store.hmacKey, key));
    store.audit('keys.issue', { id: record.id, name: record.name, role: record.role, scopes: [...record.scopes], expiresAt: record.expiresAt, allowIps: [...record.allowIps] });
  }).immediate();
  return { key, record };
}

export function requireKey(store: KeysStore, id: string): ApiKeyRecord {
  const r = store.repo.get(id);
  if (!r) throw usageError(`no API key with id '${id.slice(0, 64)}': see agentsec keys list --all`);
  return r;
}

/**
 * Replaces a key with a new one holding the same name, role, scopes, allowlist, expiry, prefix and metadata; the
 * old key stays valid until the grace period ends (never later than its own expiry), then reads EXPIRED. One
 * transaction, so a crash never leaves two keys without the link between them. Audit point: `keys.rotate`
 * (old id, new id, grace end), inside the transaction.
 */
export function rotateKey(store: KeysStore, id: string, graceMs: number, env: { now: number; random: RandomSource }): Issued & { readonly old: ApiKeyRecord } {
  return store.db.transaction(() => {
    const old = requireKey(store, id);
    if (old.revokedAt !== null) throw usageError(`API key ${id} is revoked: issue a new key instead of rotating it`);
    if (old.expiresAt !== null && old.expiresAt <= env.now) throw usageError(`API key ${id} has expired: issue a new key instead of rotating it`);
    if (old.rotatedTo !== null) throw usageError(`API key ${id} was already rotated to ${old.rotatedTo}: rotate that one`);
    const input: IssueInput = { name: old.name, role: old.role, scopes: [...old.scopes], expiresAt: old.expiresAt, allowIps: [...old.allowIps], prefix: old.prefix, meta: { ...old.meta } };
    const key = generateApiKey(old.prefix, env.random);
    const record = newRecord(input, key, newKeyId(env.random), env.now, old.id);
    store.repo.insert(record, hmacApiKey(store.hmacKey, key));
    const graceEnd = env.now + graceMs;
    store.repo.setExpiry(old.id, old.expiresAt === null ? graceEnd : Math.min(old.expiresAt, graceEnd));
    store.repo.setRotatedTo(old.id, record.id);
    store.audit('keys.rotate', { oldId: old.id, newId: record.id, name: old.name, graceEndsAt: graceEnd });
    return { key, record, old: requireKey(store, id) };
  }).immediate();
}

/** Revokes a key; false when it already was. Audit point: `keys.revoke` (id, reason), only when `changed`. */
export function revokeKey(store: KeysStore, id: string, reason: string | null, now: number): { record: ApiKeyRecord; changed: boolean } {
  return store.db.transaction(() => {
    requireKey(store, id);
    const changed = store.repo.revoke(id, now, reason);
    if (changed) store.audit('keys.revoke', { id, reason });
    return { record: requireKey(store, id), changed };
  }).immediate();
}
