import { usageError } from '../core/errors.js';
import { MAX_WINDOW, USER_NAME_PATTERN, DEFAULT_WINDOW } from '../core/totp/params.js';
import type { LockoutPolicy } from '../core/totp/lockout.js';
import type { TotpStore, TotpVerdict } from '../services/totp.js';
import { libraryRuntime } from './runtime.js';

export interface VerifyTotpOptions {
  /** The agentsec home; default $AGENTSEC_HOME, else $XDG_DATA_HOME/agentsec. */
  readonly home?: string | undefined;
  /**
   * The client's address: recorded with a failure and, like `agentsec totp verify --ip`, counted against it in the
   * blocks policy (wrong, replayed and unknown-user codes; not malformed ones).
   */
  readonly ip?: string | undefined;
  /** With `ip`: count failures in the blocks policy (default true); false when the server records them itself. */
  readonly recordFailure?: boolean | undefined;
  /** Time steps accepted either side (0-2, default 1). */
  readonly window?: number | undefined;
  /** Clock override (tests). */
  readonly now?: Date | undefined;
}

interface OpenHome {
  readonly store: TotpStore;
  readonly policy: LockoutPolicy;
  /** Feeds the blocks policy on the TOTP store's connection, inside the failure's transaction (built on first use). */
  countFailure?: Promise<(ip: string, reason: string, at: number) => unknown>;
  readonly home: string | undefined;
}

const HOMES = new Map<string, Promise<OpenHome>>();

async function openHome(home: string | undefined): Promise<OpenHome> {
  const ctx = libraryRuntime(home);
  const { openTotpStore, lockoutPolicy } = await import('../services/totp.js');
  const policy = await lockoutPolicy(ctx);
  return { store: await openTotpStore(ctx), policy, home };
}

/**
 * Verifies a TOTP code or backup code for `user` inside a Node process, with the same verdicts, replay guard,
 * lockout and audit entries as `agentsec totp verify`. A string that is not a code at all is MALFORMED (not
 * counted). Throws (an AgentsecError) only for the caller's own mistakes (a malformed user name, ip or window, a
 * missing or unsafe home) and for a seed that cannot be decrypted (wrong master key or tampered store).
 */
export async function verifyTotp(user: string, code: string, opts: VerifyTotpOptions = {}): Promise<TotpVerdict> {
  if (typeof user !== 'string' || !USER_NAME_PATTERN.test(user)) throw usageError(`verifyTotp: user '${String(user).slice(0, 64)}' is not a valid user name`);
  const window = opts.window ?? DEFAULT_WINDOW;
  if (!Number.isInteger(window) || window < 0 || window > MAX_WINDOW) throw usageError(`verifyTotp: window must be an integer from 0 to ${MAX_WINDOW}`);
  let ip: string | null = null;
  if (opts.ip !== undefined) {
    const { badIpMessage, parseIp, formatIp } = await import('../core/net/index.js');
    const parsed = typeof opts.ip === 'string' ? parseIp(opts.ip) : undefined;
    if (!parsed) throw usageError(`verifyTotp: ip ${badIpMessage(opts.ip)}`);
    ip = formatIp(parsed);
  }
  if (typeof code !== 'string') return { code: 'MALFORMED', valid: false, user };
  const key = opts.home ?? '';
  let pending = HOMES.get(key);
  if (!pending) {
    pending = openHome(opts.home);
    HOMES.set(key, pending);
    pending.catch(() => HOMES.delete(key));
  }
  const h = await pending;
  let countFailure: ((ip: string, reason: string, at: number) => unknown) | undefined;
  if (ip !== null && opts.recordFailure !== false) {
    if (!h.countFailure) {
      h.countFailure = import('../services/blocks/legacy-sync.js').then(({ authFailureRecorder }) => authFailureRecorder(libraryRuntime(h.home), h.store.db, 'library:totp.verify'));
      h.countFailure.catch(() => delete h.countFailure);
    }
    countFailure = await h.countFailure;
  }
  const { verifyUserCode } = await import('../services/totp.js');
  return verifyUserCode(h.store, user, code, { now: (opts.now ?? new Date()).getTime(), window, policy: h.policy, ip, ...(countFailure ? { countFailure } : {}) });
}

/** Closes every store opened by {@link verifyTotp} and forgets the derived keys (tests, graceful shutdown). */
export async function closeTotpStores(): Promise<void> {
  const all = [...HOMES.values()];
  HOMES.clear();
  for (const p of all) {
    try {
      (await p).store.close();
    } catch {
      /* never opened */
    }
  }
}
