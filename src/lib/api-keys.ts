import { DEFAULT_PREFIX, PREFIX_PATTERN } from '../core/apikeys/format.js';
import { SCOPE_PATTERN } from '../core/apikeys/permissions.js';
import { publicView, type IssueInput } from '../core/apikeys/record.js';
import { usageError } from '../core/errors.js';
import { formatCidr, parseCidr } from '../core/net/index.js';
import type { KeysService } from '../services/keys.js';
import { libraryHome } from './home.js';
import { libraryRuntime } from './runtime.js';

/** An API key as `agentsec keys show --json` prints it (without `schemaVersion`); never the key itself. */
export interface ApiKeyInfo {
  readonly id: string;
  readonly name: string;
  /** `prefix_…last4`: enough to recognise a key, never enough to use it. */
  readonly display: string;
  readonly prefix: string;
  readonly status: 'active' | 'revoked' | 'expired';
  readonly role: string | null;
  readonly scopes: readonly string[];
  readonly allowIps: readonly string[];
  readonly meta: Readonly<Record<string, string>>;
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
  readonly revokeReason: string | null;
  readonly lastUsedAt: string | null;
  readonly rotatedFrom: string | null;
  readonly rotatedTo: string | null;
}

export interface ApiKeyOptions {
  /** The agentsec home; default $AGENTSEC_HOME, else $XDG_DATA_HOME/agentsec. */
  readonly home?: string | undefined;
}

export interface IssueApiKeyInput {
  readonly name: string;
  /** A role: a built-in (viewer, operator, admin, owner) or one of config.yaml's `roles:`; default viewer, or none when `scopes` are given, as `keys issue`. */
  readonly role?: string | undefined;
  readonly scopes?: readonly string[] | undefined;
  readonly expiresAt?: Date | undefined;
  /** Addresses or CIDRs the key is accepted from. */
  readonly allowIps?: readonly string[] | undefined;
  /** The key's prefix (2-16 lower-case letters and digits); default `ask`. */
  readonly prefix?: string | undefined;
  readonly meta?: Readonly<Record<string, string>> | undefined;
}

/** A new key: `key` is the plaintext, returned this once (store it; agentsec keeps only its HMAC). */
export interface IssuedApiKey {
  readonly key: string;
  readonly info: ApiKeyInfo;
}

const NAME = /^[^\u0000-\u001f\u007f]{1,100}$/;
const META_KEY = /^[A-Za-z0-9_.-]{1,64}$/;

/** The same rules as `agentsec keys issue`, for arguments instead of flags; the first problem is a usage error. */
function issueInput(i: IssueApiKeyInput, now: number): IssueInput {
  if (!i || typeof i.name !== 'string' || !NAME.test(i.name.trim())) throw usageError('issueApiKey: name must be 1-100 printable characters');
  const scopes = [...new Set(i.scopes ?? [])];
  for (const s of scopes) if (typeof s !== 'string' || !SCOPE_PATTERN.test(s)) throw usageError(`issueApiKey: scope '${String(s).slice(0, 64)}' is not resource:action`);
  // Only the shape here: whether the role exists is the keys service's check, against the role table of the home's
  // config.yaml (built-ins and `roles:`), exactly as for `keys issue`.
  if (i.role !== undefined && (typeof i.role !== 'string' || !/^[a-z][a-z0-9-]{0,31}$/.test(i.role))) throw usageError(`issueApiKey: role '${String(i.role).slice(0, 32)}' is not a role name (lower-case letters, digits and -)`);
  const role: string | null = i.role !== undefined ? i.role : scopes.length > 0 ? null : 'viewer';
  if (i.expiresAt !== undefined && (!(i.expiresAt instanceof Date) || Number.isNaN(i.expiresAt.getTime()) || i.expiresAt.getTime() <= now)) throw usageError('issueApiKey: expiresAt must be a Date in the future');
  const allowIps: string[] = [];
  for (const v of i.allowIps ?? []) {
    const p = parseCidr(String(v));
    if (!p.ok) throw usageError(`issueApiKey: allowIps: ${p.message}`);
    const c = formatCidr(p.cidr);
    if (!allowIps.includes(c)) allowIps.push(c);
  }
  const prefix = i.prefix ?? DEFAULT_PREFIX;
  if (!PREFIX_PATTERN.test(prefix)) throw usageError('issueApiKey: prefix must be 2-16 lower-case letters and digits, starting with a letter');
  const meta: Record<string, string> = {};
  for (const [k, v] of Object.entries(i.meta ?? {})) {
    if (!META_KEY.test(k) || typeof v !== 'string' || v.length > 256 || /[\u0000-\u001f\u007f]/.test(v)) throw usageError(`issueApiKey: meta '${k.slice(0, 64)}' must be a simple key with at most 256 printable characters`);
    meta[k] = v;
  }
  return { name: i.name.trim(), role, scopes, expiresAt: i.expiresAt?.getTime() ?? null, allowIps, prefix, meta };
}

const info = (svc: KeysService, r: Parameters<typeof publicView>[0]): ApiKeyInfo => publicView(r, svc.clock().getTime()) as unknown as ApiKeyInfo;

// One service per home for the life of the process, opened on first use (the derived key is wiped on close).
const HOMES = new Map<string, Promise<KeysService>>();

function service(home: string | undefined): Promise<KeysService> {
  const path = libraryHome(home);
  let pending = HOMES.get(path);
  if (!pending) {
    pending = import('../services/keys.js').then(({ openKeys }) => openKeys(libraryRuntime(path)));
    HOMES.set(path, pending);
    pending.catch(() => HOMES.delete(path));
  }
  return pending;
}

/**
 * Issues an API key, as `agentsec keys issue` does (validated first, so bad input changes nothing; audited
 * `keys.issue`). verifyApiKey in any process accepts it from its next call.
 */
export async function issueApiKey(input: IssueApiKeyInput, opts: ApiKeyOptions = {}): Promise<IssuedApiKey> {
  const svc = await service(opts.home);
  const { issueKey } = await import('../services/keys.js');
  const { key, record } = await issueKey(svc, issueInput(input, svc.clock().getTime()));
  return { key, info: info(svc, record) };
}

/** Revokes a key by id (`keys revoke`); `changed` is false when it already was. Audited `keys.revoke`. */
export async function revokeApiKey(id: string, opts: ApiKeyOptions & { readonly reason?: string | undefined } = {}): Promise<{ readonly info: ApiKeyInfo; readonly changed: boolean }> {
  if (typeof id !== 'string' || id.length === 0 || id.length > 64) throw usageError('revokeApiKey: id must be a key id (see agentsec keys list)');
  if (opts.reason !== undefined && (typeof opts.reason !== 'string' || opts.reason.length > 500)) throw usageError('revokeApiKey: reason must be at most 500 characters');
  const svc = await service(opts.home);
  const { revokeKey } = await import('../services/keys.js');
  const r = await revokeKey(svc, id, opts.reason ?? null);
  return { info: info(svc, r.record), changed: r.changed };
}

/**
 * Replaces a key with a new one of the same name, role, scopes and limits (`keys rotate`); the old key keeps
 * verifying for `graceSeconds` (default 0: it stops at once). Audited `keys.rotate`.
 */
export async function rotateApiKey(id: string, opts: ApiKeyOptions & { readonly graceSeconds?: number | undefined } = {}): Promise<IssuedApiKey & { readonly previous: ApiKeyInfo }> {
  if (typeof id !== 'string' || id.length === 0 || id.length > 64) throw usageError('rotateApiKey: id must be a key id (see agentsec keys list)');
  const grace = opts.graceSeconds ?? 0;
  if (!Number.isInteger(grace) || grace < 0 || grace > 90 * 86_400) throw usageError('rotateApiKey: graceSeconds must be a whole number of seconds, at most 90 days');
  const svc = await service(opts.home);
  const { rotateKey } = await import('../services/keys.js');
  const r = await rotateKey(svc, id, grace * 1000);
  return { key: r.key, info: info(svc, r.record), previous: info(svc, r.old) };
}

/** Closes the stores opened by issueApiKey / revokeApiKey / rotateApiKey and wipes their keys. */
export async function closeApiKeyAdminStores(): Promise<void> {
  const all = [...HOMES.values()];
  HOMES.clear();
  for (const p of all) {
    try {
      await (await p).close();
    } catch {
      /* never opened */
    }
  }
}
