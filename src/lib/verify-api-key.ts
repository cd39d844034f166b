import type { Database } from 'better-sqlite3';
import { parseApiKey } from '../core/apikeys/format.js';
import { verifyKey, type VerifyResult } from '../core/apikeys/verify.js';
import { deriveSubkey } from '../core/crypto/seal.js';
import { usageError } from '../core/errors.js';
import { parseIp } from '../core/net/index.js';
import { SCOPE_PATTERN } from '../core/apikeys/permissions.js';
import { assertPrivate } from '../platform/fs.js';
import { loadMasterKey } from '../platform/master-key.js';
import { homePaths, resolveHome } from '../platform/paths.js';
import type { ApiKeysRepo } from '../store/api-keys-repo.js';

export interface VerifyApiKeyOptions {
  /** The client's address (IPv4, IPv6 or IPv4-mapped IPv6); required to pass a key with an IP allowlist. */
  readonly ip?: string | undefined;
  /** Permissions the request needs (`memory:read`). */
  readonly scopes?: readonly string[] | undefined;
  /** The agentsec home; default $AGENTSEC_HOME, else $XDG_DATA_HOME/agentsec. */
  readonly home?: string | undefined;
  /** Clock override (tests). */
  readonly now?: Date | undefined;
}

interface OpenHome {
  readonly db: Database;
  readonly repo: ApiKeysRepo;
  readonly hmacKey: Buffer;
}

const HOMES = new Map<string, Promise<OpenHome>>();

async function openHome(home: string): Promise<OpenHome> {
  const { existsSync } = await import('node:fs');
  const paths = homePaths(home);
  if (!existsSync(paths.db)) throw usageError(`no agentsec store in ${home}: run agentsec init (or pass home)`);
  assertPrivate(home, 'home');
  assertPrivate(paths.db, 'file');
  const master = await loadMasterKey(paths, process.env);
  const hmacKey = deriveSubkey(master, 'agentsec.apikeys.hmac.v1');
  master.fill(0);
  const { openDb } = await import('../store/db.js');
  const { ApiKeysRepo } = await import('../store/api-keys-repo.js');
  const db = await openDb(paths.db);
  // Only last-used times are written on this connection: a hint that may lose its last second on power loss,
  // so it need not pay an fsync per write. Revocations and issues come from the CLI with synchronous=FULL.
  db.pragma('synchronous = NORMAL');
  return { db, repo: new ApiKeysRepo(db), hmacKey };
}

function homeFor(opts: VerifyApiKeyOptions): string {
  return resolveHome({ flag: opts.home, env: process.env, cwd: process.cwd() });
}

/**
 * Verifies an API key inside a Node process, with the same codes as `agentsec keys verify`. The store and the
 * derived key are opened once per home and kept for the life of the process; every call still reads the store,
 * so a revocation by the CLI takes effect on the next call. Anything that is not a checksum-valid agentsec key is
 * MALFORMED. Throws (an AgentsecError) only for the caller's own mistakes: an `ip` that is not an IP address, a
 * malformed scope, a missing or unsafe home.
 */
export async function verifyApiKey(key: string, opts: VerifyApiKeyOptions = {}): Promise<VerifyResult> {
  const ip = opts.ip === undefined ? undefined : parseIp(opts.ip);
  if (opts.ip !== undefined && !ip) throw usageError(`verifyApiKey: ip '${String(opts.ip).slice(0, 64)}' is not an IPv4 or IPv6 address`);
  const scopes = opts.scopes ?? [];
  for (const s of scopes) if (!SCOPE_PATTERN.test(s)) throw usageError(`verifyApiKey: scope '${String(s).slice(0, 64)}' is not resource:action`);
  // Malformed keys are answered before the store is touched (or even opened).
  if (typeof key !== 'string' || !parseApiKey(key).ok) return { code: 'MALFORMED', valid: false };
  const home = homeFor(opts);
  let pending = HOMES.get(home);
  if (!pending) {
    pending = openHome(home);
    HOMES.set(home, pending);
    // A failed open (home not initialised yet) is retried on the next call rather than cached forever.
    pending.catch(() => HOMES.delete(home));
  }
  const h = await pending;
  return verifyKey(h.repo, h.hmacKey, key, { ip, scopes, now: (opts.now ?? new Date()).getTime() });
}

/** Closes every store opened by {@link verifyApiKey} and forgets the derived keys (tests, graceful shutdown). */
export async function closeApiKeyStores(): Promise<void> {
  const all = [...HOMES.values()];
  HOMES.clear();
  for (const p of all) {
    try {
      const h = await p;
      h.db.close();
      h.hmacKey.fill(0);
    } catch {
      /* never opened */
    }
  }
}
