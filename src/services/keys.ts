/**
 * API keys: issue, rotate, revoke, look up and verify. Every change appends its audit entry in the same
 * transaction. Called by the `keys` commands, the library and the server alike; never prints.
 */
import { generateApiKey, newKeyId } from '../core/apikeys/format.js';
import type { ApiKeyRecord, IssueInput } from '../core/apikeys/record.js';
import { APIKEYS_HMAC_PURPOSE, hmacApiKey, verifyKey, type VerifyCache, type VerifyRequest, type VerifyResult } from '../core/apikeys/verify.js';
import { BUILTIN_ROLES } from '../core/apikeys/permissions.js';
import { deriveSubkey, type RandomSource } from '../core/crypto/seal.js';
import { usageError } from '../core/errors.js';
import type { Store, Tx } from '../store/store.js';
import type { AuditSink } from './audit-sink.js';
import type { Runtime } from './runtime.js';
import type { ResolvedRoles } from './roles.js';

export interface KeysDeps {
  readonly store: Store;
  readonly audit: AuditSink;
  readonly clock: () => Date;
  readonly random: RandomSource;
  /** The master key's API-key subkey; empty when opened without it (list, show, revoke). */
  readonly hmacKey: Buffer;
  /** The role table in force (config.yaml's `roles:` over the built-ins); the built-ins when absent. */
  readonly roles?: ResolvedRoles;
}

export interface KeysService extends KeysDeps {
  /** The secrets fingerprint subkey, with `fingerprint` (a key rotated into a file); else empty. */
  readonly fingerprintKey: Buffer;
  /** Forgets the subkeys and closes the store. */
  close(): Promise<void>;
}

/** Opens the store and, unless `needKey` is false, derives the HMAC subkey. The caller closes it in `finally`. */
export async function openKeys(rt: Runtime, opts: { needKey?: boolean; fingerprint?: boolean } = {}): Promise<KeysService> {
  const store = await rt.store();
  let hmacKey: Buffer = Buffer.alloc(0);
  let fingerprintKey: Buffer = Buffer.alloc(0);
  try {
    if (opts.needKey ?? true) {
      const master = await rt.masterKey();
      hmacKey = deriveSubkey(master, APIKEYS_HMAC_PURPOSE);
      if (opts.fingerprint) {
        const { FINGERPRINT_PURPOSE } = await import('../core/secrets/fingerprint.js');
        fingerprintKey = deriveSubkey(master, FINGERPRINT_PURPOSE);
      }
      master.fill(0);
    }
    const [{ auditSink }, { rolesOf, recordRoleTable }] = await Promise.all([import('./audit.js'), import('./roles.js')]);
    const roles = rolesOf(await rt.config());
    const audit = await auditSink(rt, store);
    // Every keys command applies the table it read, so it is also the one that dates a change of it.
    await recordRoleTable(store, audit, roles);
    const key = hmacKey;
    const fp = fingerprintKey;
    return {
      store,
      audit,
      roles,
      clock: rt.clock,
      random: rt.random,
      hmacKey,
      fingerprintKey,
      close: async () => {
        key.fill(0);
        fp.fill(0);
        await store.close();
      },
    };
  } catch (err) {
    hmacKey.fill(0);
    fingerprintKey.fill(0);
    await store.close();
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

/** The role names of the table in force, for messages and completion. */
export function roleNames(d: Pick<KeysDeps, 'roles'>): string[] {
  return [...(d.roles?.table ?? BUILTIN_ROLES).keys()];
}

function requireHmacKey(d: KeysDeps): Buffer {
  if (d.hmacKey.length === 0) throw usageError('the master key is needed for this operation');
  return d.hmacKey;
}

/**
 * Issues a key. Audit point: `keys.issue` (id, name, role, scopes — never the key), appended inside this
 * transaction so the key and its audit entry land together.
 */
export async function issueKey(d: KeysDeps, input: IssueInput): Promise<Issued> {
  const hmacKey = requireHmacKey(d);
  // Checked here too, not only by the CLI: a key must never be born with a role no table defines.
  if (input.role !== null && !(d.roles?.table ?? BUILTIN_ROLES).has(input.role)) throw usageError(`unknown role '${input.role.slice(0, 32)}': use one of ${roleNames(d).join(', ')}, or define it under roles: in config.yaml`);
  const key = generateApiKey(input.prefix, d.random);
  const record = newRecord(input, key, newKeyId(d.random), d.clock().getTime(), null);
  await d.store.transaction(async (tx) => {
    await tx.keys.insert(record, hmacApiKey(hmacKey, key));
    await d.audit(tx, 'keys.issue', { id: record.id, name: record.name, role: record.role, scopes: [...record.scopes], expiresAt: record.expiresAt, allowIps: [...record.allowIps] });
  });
  return { key, record };
}

async function requireIn(tx: Tx | Store, id: string): Promise<ApiKeyRecord> {
  const r = await tx.keys.get(id);
  if (!r) throw usageError(`no API key with id '${id.slice(0, 64)}': see agentsec keys list --all`);
  return r;
}

/** The key's record, or a usage error naming the id. */
export function getKey(d: Pick<KeysDeps, 'store'>, id: string): Promise<ApiKeyRecord> {
  return requireIn(d.store, id);
}

/** Active keys, or every key with `all`. Oldest first. */
export function listKeys(d: Pick<KeysDeps, 'store' | 'clock'>, opts: { all: boolean }): Promise<ApiKeyRecord[]> {
  return d.store.keys.list({ all: opts.all, now: d.clock().getTime() });
}

/**
 * Replaces a key with a new one holding the same name, role, scopes, allowlist, expiry, prefix and metadata; the
 * old key stays valid until the grace period ends (never later than its own expiry), then reads EXPIRED. One
 * transaction, so a crash never leaves two keys without the link between them. Audit point: `keys.rotate`
 * (old id, new id, grace end), inside the transaction.
 */
export async function rotateKey(d: KeysDeps, id: string, graceMs: number): Promise<Issued & { readonly old: ApiKeyRecord }> {
  requireHmacKey(d);
  const now = d.clock().getTime();
  return d.store.transaction((tx) => rotateKeyIn(d, tx, id, graceMs, now));
}

/** Extra facts for the `keys.rotate` audit entry (where the new key was written; never the key). */
export type RotateAuditExtra = Readonly<Record<string, string | null>>;

/**
 * The rotation itself, inside the caller's transaction (see {@link rotateKey}); the caller may add its own writes
 * to that transaction (a key file's event) so that all commit together or not at all.
 */
export async function rotateKeyIn(d: KeysDeps, tx: Tx, id: string, graceMs: number, now: number, extra: RotateAuditExtra = {}): Promise<Issued & { readonly old: ApiKeyRecord }> {
  const hmacKey = requireHmacKey(d);
  const old = await requireIn(tx, id);
  if (old.revokedAt !== null) throw usageError(`API key ${id} is revoked: issue a new key instead of rotating it`);
  if (old.expiresAt !== null && old.expiresAt <= now) throw usageError(`API key ${id} has expired: issue a new key instead of rotating it`);
  if (old.rotatedTo !== null) throw usageError(`API key ${id} was already rotated to ${old.rotatedTo}: rotate that one`);
  const input: IssueInput = { name: old.name, role: old.role, scopes: [...old.scopes], expiresAt: old.expiresAt, allowIps: [...old.allowIps], prefix: old.prefix, meta: { ...old.meta } };
  const key = generateApiKey(old.prefix, d.random);
  const record = newRecord(input, key, newKeyId(d.random), now, old.id);
  await tx.keys.insert(record, hmacApiKey(hmacKey, key));
  const graceEnd = now + graceMs;
  await tx.keys.setExpiry(old.id, old.expiresAt === null ? graceEnd : Math.min(old.expiresAt, graceEnd));
  await tx.keys.setRotatedTo(old.id, record.id);
  await d.audit(tx, 'keys.rotate', { oldId: old.id, newId: record.id, name: old.name, graceEndsAt: graceEnd, ...extra });
  return { key, record, old: await requireIn(tx, id) };
}

/**
 * The one active key of that name that has not been rotated away (names are not unique: two keys named `ci`, or a
 * key and its predecessor still in its grace period). A usage error when there is none or more than one, listing
 * the ids, so cron never rotates the wrong key.
 */
export async function keyByName(d: Pick<KeysDeps, 'store' | 'clock'>, name: string): Promise<ApiKeyRecord> {
  const found = (await d.store.keys.list({ all: false, now: d.clock().getTime() })).filter((k) => k.name === name && k.rotatedTo === null);
  const shown = name.slice(0, 64);
  if (found.length === 0) throw usageError(`no active API key named '${shown}': see agentsec keys list`);
  if (found.length > 1) throw usageError(`${found.length} active API keys are named '${shown}' (${found.map((k) => k.id).join(', ')}): pass the id instead of --name`);
  return found[0] as ApiKeyRecord;
}

/** Revokes a key; `changed` is false when it already was. Audit point: `keys.revoke` (id, reason), only when changed. */
export async function revokeKey(d: KeysDeps, id: string, reason: string | null): Promise<{ record: ApiKeyRecord; changed: boolean }> {
  const now = d.clock().getTime();
  return d.store.transaction(async (tx) => {
    await requireIn(tx, id);
    const changed = await tx.keys.revoke(id, now, reason);
    if (changed) await d.audit(tx, 'keys.revoke', { id, reason });
    return { record: await requireIn(tx, id), changed };
  });
}

/**
 * Verifies a presented key against the store (see core/apikeys/verify.ts for the codes and their order). With a
 * cache, found records are kept by key; the caller empties it when the store's change feed moves.
 */
export function verifyStoredKey(d: Pick<KeysDeps, 'store' | 'hmacKey' | 'roles'>, key: string, req: VerifyRequest, cache?: VerifyCache): Promise<VerifyResult> {
  return verifyKey(d.store.keys, requireHmacKey(d as KeysDeps), key, { ...req, roles: req.roles ?? d.roles?.table }, cache);
}

/** The stored record of a presented key, by its keyed hash, or undefined (keys scan). */
export async function findKey(d: Pick<KeysDeps, 'store' | 'hmacKey'>, key: string): Promise<ApiKeyRecord | undefined> {
  return (await d.store.keys.findByHmac(hmacApiKey(requireHmacKey(d as KeysDeps), key)))?.record;
}
