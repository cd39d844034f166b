import { usageError } from '../core/errors.js';
import { MAX_WINDOW, USER_NAME_PATTERN, DEFAULT_WINDOW } from '../core/totp/params.js';
import type { AuthFailureFeed } from '../services/auth-failures.js';
import type { Runtime } from '../services/runtime.js';
import type { TotpService, TotpVerdict } from '../services/totp.js';
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
  readonly rt: Runtime;
  readonly svc: TotpService;
  /** Feeds the blocks policy inside the failure's transaction (built on first use: most calls never need it). */
  failureFeed?: Promise<AuthFailureFeed>;
}

const HOMES = new Map<string, Promise<OpenHome>>();

async function openHome(home: string | undefined): Promise<OpenHome> {
  const rt = libraryRuntime(home);
  const { openTotp } = await import('../services/totp.js');
  return { rt, svc: await openTotp(rt) };
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
  let failureFeed: AuthFailureFeed | undefined;
  if (ip !== null && opts.recordFailure !== false) {
    if (!h.failureFeed) {
      h.failureFeed = import('../services/auth-failures.js').then(({ authFailureFeed }) => authFailureFeed(h.rt, h.svc.store, 'library:totp.verify'));
      h.failureFeed.catch(() => delete h.failureFeed);
    }
    failureFeed = await h.failureFeed;
  }
  const { verifyUserCode } = await import('../services/totp.js');
  // The clock override applies to this call only; the opened service stays shared by every call for the home.
  const now = opts.now;
  const d = now === undefined ? h.svc : { ...h.svc, clock: () => now };
  return verifyUserCode(d, user, code, { window, ip, failureFeed });
}

/** Closes every store opened by {@link verifyTotp} and forgets the derived keys (tests, graceful shutdown). */
export async function closeTotpStores(): Promise<void> {
  const all = [...HOMES.values()];
  HOMES.clear();
  for (const p of all) {
    try {
      await (await p).svc.close();
    } catch {
      /* never opened */
    }
  }
}
