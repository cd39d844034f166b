import { createHmac } from 'node:crypto';
import { constantTimeEqual } from '../crypto/seal.js';
import { anyCidrContains, parseCidr, type Cidr, type IpAddress } from '../net/index.js';
import { parseApiKey } from './format.js';
import { effectivePermissions, missingPermissions, type Role } from './permissions.js';
import { keyStatus, type ApiKeyRecord } from './record.js';

export const VERIFY_CODES = ['VALID', 'MALFORMED', 'NOT_FOUND', 'REVOKED', 'EXPIRED', 'FORBIDDEN_IP', 'INSUFFICIENT_SCOPE'] as const;
export type VerifyCode = (typeof VERIFY_CODES)[number];

export interface VerifiedKeyInfo {
  readonly id: string;
  readonly name: string;
  readonly role: Role | null;
  readonly scopes: readonly string[];
  /** Role permissions plus scopes: what the key may do. */
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

/** What verification needs from the store: one indexed lookup and a last-used update. */
export interface ApiKeyLookup {
  findByHmac(hmac: Buffer): { readonly record: ApiKeyRecord; readonly hmac: Buffer } | undefined;
  touchLastUsed(id: string, at: number): void;
}

export interface VerifyRequest {
  /** The client address, already parsed; undefined when unknown (then an allowlisted key is refused). */
  readonly ip?: IpAddress | undefined;
  /** Permissions the caller needs, already validated. */
  readonly scopes?: readonly string[] | undefined;
  readonly now: number;
}

/** Last-used times are a hint, not a log: written at most once a minute per key so verification stays read-mostly. */
export const LAST_USED_RESOLUTION_MS = 60_000;

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

function info(r: ApiKeyRecord): VerifiedKeyInfo {
  return {
    id: r.id,
    name: r.name,
    role: r.role,
    scopes: [...r.scopes],
    permissions: effectivePermissions(r.role, r.scopes),
    expiresAt: r.expiresAt === null ? null : new Date(r.expiresAt).toISOString(),
  };
}

/**
 * Decides a verification for a found record. Order: REVOKED, EXPIRED, FORBIDDEN_IP, INSUFFICIENT_SCOPE, VALID —
 * the first failing check wins, so a revoked key never reveals whether the IP or scopes would have passed.
 */
export function decide(record: ApiKeyRecord, req: VerifyRequest): VerifyResult {
  const key = info(record);
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
export function verifyKey(lookup: ApiKeyLookup, hmacKey: Uint8Array, key: string, req: VerifyRequest): VerifyResult {
  const parsed = parseApiKey(key);
  if (!parsed.ok) return { code: 'MALFORMED', valid: false };
  const mac = hmacApiKey(hmacKey, key);
  const found = lookup.findByHmac(mac);
  // The index lookup already matched; the constant-time check guards against a lookup that matched loosely
  // (a future backend with case-insensitive or truncated comparisons) without leaking how much matched.
  if (!found || !constantTimeEqual(found.hmac, mac)) return { code: 'NOT_FOUND', valid: false };
  const result = decide(found.record, req);
  if (result.valid && (found.record.lastUsedAt === null || req.now - found.record.lastUsedAt >= LAST_USED_RESOLUTION_MS)) {
    lookup.touchLastUsed(found.record.id, req.now);
  }
  return result;
}
