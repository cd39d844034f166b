import { createHmac } from 'node:crypto';
import { constantTimeEqual } from '../crypto/seal.js';
import { anyCidrContains, parseCidr, type Cidr, type IpAddress } from '../net/index.js';
import { parseApiKey } from './format.js';
import { BUILTIN_ROLES, effectivePermissions, missingPermissions, type RoleTable } from './permissions.js';
import { keyStatus, type ApiKeyRecord } from './record.js';

export const VERIFY_CODES = ['VALID', 'MALFORMED', 'NOT_FOUND', 'REVOKED', 'EXPIRED', 'FORBIDDEN_IP', 'INSUFFICIENT_SCOPE'] as const;
export type VerifyCode = (typeof VERIFY_CODES)[number];

export interface VerifiedKeyInfo {
  readonly id: string;
  readonly name: string;
  /** The stored role name, resolved against the role table at each verification. */
  readonly role: string | null;
  readonly scopes: readonly string[];
  /** Role permissions (from the role table in force now) plus scopes: what the key may do. */
  readonly permissions: readonly string[];
  readonly expiresAt: string | null;
}

export interface VerifyResult {
  readonly code: VerifyCode;
  readonly valid: boolean;
  /** Present whenever the key was found (every code but MALFORMED and NOT_FOUND). */
  readonly key?: VerifiedKeyInfo;
  /** The required scopes the key lacks (INSUFFICIENT_SCOPE only). */
  readonly missingScopes?: readonly string[];
}

export interface FoundKey {
  readonly record: ApiKeyRecord;
  readonly hmac: Buffer;
}

/** What verification needs from the store: one indexed lookup and a last-used update. */
export interface ApiKeyLookup {
  findByHmac(hmac: Buffer): Promise<FoundKey | undefined>;
  touchLastUsed(id: string, at: number): Promise<void>;
}

/**
 * Found keys by presented key, for a long-lived process. The owner must clear it whenever the store may have
 * changed under it (the library watches SQLite's data_version), since entries carry revocation and expiry.
 * Only keys that exist are cached, so random guesses cannot grow it; {@link MAX_CACHED_KEYS} bounds it anyway.
 */
export type VerifyCache = Map<string, FoundKey>;
export const MAX_CACHED_KEYS = 50_000;

export interface VerifyRequest {
  /** The client address, already parsed; undefined when unknown (then an allowlisted key is refused). */
  readonly ip?: IpAddress | undefined;
  /** Permissions the caller needs, already validated. */
  readonly scopes?: readonly string[] | undefined;
  readonly now: number;
  /**
   * The role table in force (default: the built-ins). The stored role is looked up here at every verification, so
   * a changed role applies to its keys at once; a role the table lacks grants nothing.
   */
  readonly roles?: RoleTable | undefined;
}

/** Last-used times are a hint, not a log: written at most once a minute per key so verification stays read-mostly. */
export const LAST_USED_RESOLUTION_MS = 60_000;

/** The subkey API keys are HMACed under; changing it orphans every stored key, hence the version in the label. */
export const APIKEYS_HMAC_PURPOSE = 'agentsec.apikeys.hmac.v1';

/** HMAC-SHA256 of the key under the store's API-key subkey: the only form in which a key is stored. */
export function hmacApiKey(hmacKey: Uint8Array, key: string): Buffer {
  return createHmac('sha256', hmacKey).update(key, 'utf8').digest();
}

const cidrCache = new Map<string, Cidr>();
function cidrOf(text: string): Cidr | undefined {
  let c = cidrCache.get(text);
  if (c === undefined) {
    const p = parseCidr(text);
    if (!p.ok) return undefined;
    c = p.cidr;
    if (cidrCache.size > 10_000) cidrCache.clear();
    cidrCache.set(text, c);
  }
  return c;
}

// Records and role tables are immutable, so what is derived from one record under one table is computed once, not
// once per call; a new table (config reloaded) is a new map object and gets fresh entries.
const infoCache = new WeakMap<RoleTable, WeakMap<ApiKeyRecord, VerifiedKeyInfo>>();

function info(r: ApiKeyRecord, roles: RoleTable): VerifiedKeyInfo {
  let perTable = infoCache.get(roles);
  if (perTable === undefined) {
    perTable = new WeakMap();
    infoCache.set(roles, perTable);
  }
  let i = perTable.get(r);
  if (i === undefined) {
    i = Object.freeze(buildInfo(r, roles));
    perTable.set(r, i);
  }
  return i;
}

function buildInfo(r: ApiKeyRecord, roles: RoleTable): VerifiedKeyInfo {
  return {
    id: r.id,
    name: r.name,
    role: r.role,
    scopes: Object.freeze([...r.scopes]),
    permissions: Object.freeze(effectivePermissions(r.role, r.scopes, roles)),
    expiresAt: r.expiresAt === null ? null : new Date(r.expiresAt).toISOString(),
  };
}

/**
 * Decides a verification for a found record. Order: REVOKED, EXPIRED, FORBIDDEN_IP, INSUFFICIENT_SCOPE, VALID —
 * the first failing check wins, so a revoked key never reveals whether the IP or scopes would have passed.
 */
export function decide(record: ApiKeyRecord, req: VerifyRequest): VerifyResult {
  const key = info(record, req.roles ?? BUILTIN_ROLES);
  const status = keyStatus(record, req.now);
  if (status === 'revoked') return { code: 'REVOKED', valid: false, key };
  if (status === 'expired') return { code: 'EXPIRED', valid: false, key };
  if (record.allowIps.length > 0) {
    // Fail closed: a key bound to addresses is refused when the caller cannot say where the request came from.
    const cidrs = record.allowIps.map(cidrOf).filter((c): c is Cidr => c !== undefined);
    if (!req.ip || !anyCidrContains(cidrs, req.ip)) return { code: 'FORBIDDEN_IP', valid: false, key };
  }
  const missing = missingPermissions(key.permissions, req.scopes ?? []);
  if (missing.length > 0) return { code: 'INSUFFICIENT_SCOPE', valid: false, key, missingScopes: missing };
  return { code: 'VALID', valid: true, key };
}

/**
 * Verifies a presented key: offline format and checksum check (MALFORMED), HMAC lookup (NOT_FOUND), a constant-time
 * comparison of the stored HMAC, then {@link decide}. Records the last-used time of a key that verified VALID.
 */
export async function verifyKey(lookup: ApiKeyLookup, hmacKey: Uint8Array, key: string, req: VerifyRequest, cache?: VerifyCache): Promise<VerifyResult> {
  // A cache hit needs the exact 256-bit key already, so the Map's string comparison is no oracle worth having:
  // its timing could only tell a caller who holds a valid key that it is valid. Only parsed keys are ever cached.
  let found = cache?.get(key);
  if (!found) {
    if (!parseApiKey(key).ok) return { code: 'MALFORMED', valid: false };
    const mac = hmacApiKey(hmacKey, key);
    found = await lookup.findByHmac(mac);
    // The index lookup already matched; the constant-time check guards against a lookup that matched loosely
    // (a future backend with case-insensitive or truncated comparisons) without leaking how much matched.
    if (!found || !constantTimeEqual(found.hmac, mac)) return { code: 'NOT_FOUND', valid: false };
    if (cache) {
      if (cache.size >= MAX_CACHED_KEYS) cache.clear();
      cache.set(key, found);
    }
  }
  const result = decide(found.record, req);
  if (result.valid && (found.record.lastUsedAt === null || req.now - found.record.lastUsedAt >= LAST_USED_RESOLUTION_MS)) {
    await lookup.touchLastUsed(found.record.id, req.now);
    cache?.set(key, { record: { ...found.record, lastUsedAt: req.now }, hmac: found.hmac });
  }
  return result;
}
