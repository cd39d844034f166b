import { APIKEYS_HMAC_PURPOSE, verifyKey, type ApiKeyLookup, type VerifyCache, type VerifyCode, type VerifyResult } from '../core/apikeys/verify.js';
import { deriveSubkey } from '../core/crypto/seal.js';
import { usageError } from '../core/errors.js';
import { badIpMessage, parseIp, type IpAddress } from '../core/net/index.js';
import { statSync } from 'node:fs';
import { BUILTIN_ROLES, SCOPE_PATTERN, type RoleTable } from '../core/apikeys/permissions.js';
import type { Runtime } from '../services/runtime.js';
import type { Store } from '../store/store.js';
import type { RecordFailureResult } from './blocks.js';
import { libraryHome } from './home.js';
import { libraryRuntime } from './runtime.js';

export interface VerifyApiKeyOptions {
  /** The client's address (IPv4, IPv6 or IPv4-mapped IPv6); required to pass a key with an IP allowlist. */
  readonly ip?: string | undefined;
  /** Permissions the request needs (`memory:read`). */
  readonly scopes?: readonly string[] | undefined;
  /** The agentsec home; default $AGENTSEC_HOME, else $XDG_DATA_HOME/agentsec. */
  readonly home?: string | undefined;
  /** Clock override (tests). */
  readonly now?: Date | undefined;
  /**
   * With `ip`, a failed verification (any code but VALID and INSUFFICIENT_SCOPE) counts as an auth failure against
   * that address in the blocks policy, as `agentsec keys verify --ip` does. Default true; false when the server
   * records its failures itself (recordFailure).
   */
  readonly recordFailure?: boolean | undefined;
}

/** The key a verdict is about (the members of `agentsec keys verify --json`'s `key`). */
export interface VerifiedApiKey {
  readonly id: string;
  readonly name: string;
  readonly role: string | null;
  readonly scopes: readonly string[];
  /** Role permissions plus scopes: what the key may do. */
  readonly permissions: readonly string[];
  readonly expiresAt: string | null;
}

/**
 * The verdict, as `agentsec keys verify --json` prints it (without `schemaVersion`), and with `ip` on a failure,
 * what the blocks policy made of it. `if (r.valid)` narrows: `key` is then always there.
 */
export type VerifyApiKeyResult =
  | { readonly code: 'VALID'; readonly valid: true; readonly key: VerifiedApiKey; readonly missingScopes?: never; readonly blocks?: never }
  | {
      readonly code: Exclude<VerifyCode, 'VALID'>;
      readonly valid: false;
      /** Present whenever the key was found (every code but MALFORMED and NOT_FOUND). */
      readonly key?: VerifiedApiKey;
      /** The required scopes the key lacks (INSUFFICIENT_SCOPE only). */
      readonly missingScopes?: readonly string[];
      readonly blocks?: RecordFailureResult;
    };

interface OpenHome {
  readonly store: Store;
  readonly lookup: ApiKeyLookup;
  readonly hmacKey: Buffer;
  readonly cache: VerifyCache;
  /** Moves when anyone commits to the store: then every cached record may be stale. */
  seenVersion: number;
  /** config.yaml's role table, re-read when the file changes (see currentRoles). */
  roles: RoleTable;
  rolesFile: string;
  rolesCheckedAt: number;
  rolesStamp: string;
  readonly rt: Runtime;
}

const HOMES = new Map<string, Promise<OpenHome>>();

async function openHome(home: string): Promise<OpenHome> {
  const rt = libraryRuntime(home);
  // The store is checked (exists, private) before the master key is read, so a missing home says so first.
  const store = await rt.store({ serving: true });
  let hmacKey: Buffer;
  try {
    const master = await rt.masterKey();
    hmacKey = deriveSubkey(master, APIKEYS_HMAC_PURPOSE);
    master.fill(0);
  } catch (err) {
    await store.close();
    throw err;
  }
  const lookup: ApiKeyLookup = {
    findByHmac: (hmac) => store.keys.findByHmac(hmac),
    touchLastUsed: async (id, at) => {
      try {
        await store.keys.touchLastUsed(id, at);
      } catch {
        /* a busy or read-only store: the hint waits for the next minute */
      }
    },
  };
  const h: OpenHome = { store, lookup, hmacKey, cache: new Map(), seenVersion: store.changes.version(), roles: BUILTIN_ROLES, rolesFile: rt.paths.config, rolesCheckedAt: 0, rolesStamp: '', rt };
  try {
    await loadRoles(h, Date.now());
  } catch (err) {
    hmacKey.fill(0);
    await store.close();
    throw err;
  }
  return h;
}

/** What identifies a version of config.yaml without reading it: changed by any edit or replacement. */
function configStamp(path: string): string {
  try {
    const st = statSync(path);
    return `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
  } catch {
    return 'absent';
  }
}

async function loadRoles(h: OpenHome, now: number): Promise<void> {
  const stamp = configStamp(h.rolesFile);
  h.rolesCheckedAt = now;
  if (stamp === h.rolesStamp) return;
  const { rolesOf, recordRoleTable } = await import('../services/roles.js');
  let roles;
  try {
    roles = rolesOf(await h.rt.config());
  } catch (err) {
    // At open, a bad config is refused (thrown). Later, a bad edit keeps the table in force, as a server keeps its
    // running config on a bad reload, and says so once; the file is read again when it changes.
    if (h.rolesStamp === '') throw err;
    h.rolesStamp = stamp;
    h.rt.warn(`config.yaml changed but cannot be used (${err instanceof Error ? err.message : String(err)}): API keys keep the role table in force`);
    return;
  }
  h.roles = roles.table;
  h.rolesStamp = stamp;
  try {
    const { auditSink } = await import('../services/audit.js');
    await recordRoleTable(h.store, await auditSink(h.rt, h.store), roles);
  } catch (err) {
    h.rt.warn(`the role table change could not be recorded in the audit chain (${err instanceof Error ? err.message.split('\n')[0] : String(err)}); the next agentsec keys command records it`);
  }
}

/**
 * Role changes apply to a running server too: config.yaml is looked at (one stat) at most once a second, and read
 * again only when it changed. A second is the same bound the CLI's revocations have through the change feed.
 */
const ROLES_RECHECK_MS = 1000;

// Per-call work that does not depend on the key is memoised (bounded): resolving the home reads the environment
// and the working directory, and a server sees the same client addresses and scope lists again and again.
const parsedIps = new Map<string, IpAddress | undefined>();
const checkedScopes = new Set<string>();
const MEMO_LIMIT = 10_000;

function ipFor(text: string): IpAddress | undefined {
  if (parsedIps.has(text)) return parsedIps.get(text);
  const ip = parseIp(text);
  if (parsedIps.size >= MEMO_LIMIT) parsedIps.clear();
  parsedIps.set(text, ip);
  return ip;
}

function checkScopes(scopes: readonly string[]): void {
  for (const s of scopes) {
    if (checkedScopes.has(s)) continue;
    if (typeof s !== 'string' || !SCOPE_PATTERN.test(s)) throw usageError(`verifyApiKey: scope '${String(s).slice(0, 64)}' is not resource:action`);
    if (checkedScopes.size >= MEMO_LIMIT) checkedScopes.clear();
    checkedScopes.add(s);
  }
}

/**
 * Verifies an API key inside a Node process, with the same codes as `agentsec keys verify`. The store and the
 * derived key are opened once per home and kept for the life of the process, with the records of keys already
 * seen; any commit to the store by another process (a revocation by the CLI) empties that cache before the next
 * call is answered. Anything that is not a checksum-valid agentsec key is
 * MALFORMED. With `ip`, a failure also counts against the address in the blocks policy (see `recordFailure`). Throws (an AgentsecError) only for the caller's own mistakes: an `ip` that is not an IP address, a
 * malformed scope, a missing or unsafe home.
 */
export async function verifyApiKey(key: string, opts: VerifyApiKeyOptions = {}): Promise<VerifyApiKeyResult> {
  // The core verdict sets `key` on VALID and valid only on VALID (core/apikeys/verify.ts): the union says so.
  const result = (await verdict(key, opts)) as VerifyApiKeyResult;
  if (result.valid || result.code === 'INSUFFICIENT_SCOPE' || opts.ip === undefined || opts.recordFailure === false) return result;
  // The address was checked by verdict(). Recording opens the store's blocks side once, like recordFailure().
  const { recordFailureFrom } = await import('./blocks.js');
  const blocks = await recordFailureFrom('library:keys.verify', opts.ip, 'auth', { home: opts.home, now: opts.now, reason: `api key ${result.code}` });
  return { ...result, blocks };
}

async function verdict(key: string, opts: VerifyApiKeyOptions): Promise<VerifyResult> {
  const ip = opts.ip === undefined ? undefined : typeof opts.ip === 'string' ? ipFor(opts.ip) : undefined;
  if (opts.ip !== undefined && !ip) throw usageError(`verifyApiKey: ip ${badIpMessage(opts.ip)}`);
  const scopes = opts.scopes ?? [];
  checkScopes(scopes);
  if (typeof key !== 'string') return { code: 'MALFORMED', valid: false };
  const home = libraryHome(opts.home);
  let pending = HOMES.get(home);
  if (!pending) {
    pending = openHome(home);
    HOMES.set(home, pending);
    // A failed open (home not initialised yet) is retried on the next call rather than cached forever.
    pending.catch(() => HOMES.delete(home));
  }
  const h = await pending;
  // Checked on every call, so an issue, rotation or revocation by the CLI counts from the very next verification.
  const version = h.store.changes.version();
  if (version !== h.seenVersion) {
    h.cache.clear();
    h.seenVersion = version;
  }
  const wall = Date.now();
  if (wall - h.rolesCheckedAt >= ROLES_RECHECK_MS) await loadRoles(h, wall);
  return verifyKey(h.lookup, h.hmacKey, key, { ip, scopes, now: (opts.now ?? new Date()).getTime(), roles: h.roles }, h.cache);
}

/** Closes every store opened by {@link verifyApiKey} and forgets the derived keys (tests, graceful shutdown). */
export async function closeApiKeyStores(): Promise<void> {
  const all = [...HOMES.values()];
  HOMES.clear();
  for (const p of all) {
    try {
      const h = await p;
      h.cache.clear();
      await h.store.close();
      h.hmacKey.fill(0);
    } catch {
      /* never opened */
    }
  }
}
