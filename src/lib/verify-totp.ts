import { usageError } from '../core/errors.js';
import { ALGORITHMS, DEFAULT_PERIOD, DIGITS, ISSUER_PATTERN, MAX_PERIOD, MAX_WINDOW, MIN_PERIOD, USER_NAME_PATTERN, DEFAULT_WINDOW, type TotpParams } from '../core/totp/params.js';
import type { AuthFailureFeed } from '../services/auth-failures.js';
import type { Runtime } from '../services/runtime.js';
import type { TotpService, TotpVerdict as ServiceVerdict } from '../services/totp.js';

/** Every code a TOTP verdict can have (the same as `agentsec totp verify --json`). */
export type VerdictCode = 'VALID' | 'VALID_BACKUP_CODE' | 'INVALID' | 'REPLAYED' | 'LOCKED' | 'PENDING' | 'UNKNOWN_USER' | 'MALFORMED';
import { libraryRuntime } from './runtime.js';

/**
 * What verifyTotp and confirmTotp answer for a code: the members of `agentsec totp verify --json` (without
 * `schemaVersion`). `if (r.valid)` narrows to an accepted code and says how (`totp` or `backup-code`).
 */
export type TotpVerdict =
  | {
      readonly code: 'VALID' | 'VALID_BACKUP_CODE';
      readonly valid: true;
      readonly user: string;
      readonly method: 'totp' | 'backup-code';
      /** Steps between the code and now (negative: the client's clock is behind); TOTP codes only. */
      readonly drift?: number;
      readonly backupCodesLeft?: number;
      readonly failures?: never;
      readonly lockedUntil?: never;
    }
  | {
      readonly code: Exclude<VerdictCode, 'VALID' | 'VALID_BACKUP_CODE'>;
      readonly valid: false;
      readonly user: string;
      /** Failures inside the lockout window after this attempt. */
      readonly failures?: number;
      readonly lockedUntil?: string;
      readonly method?: never;
      readonly drift?: never;
      readonly backupCodesLeft?: never;
    };

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
  return (await verifyUserCode(d, user, code, { window, ip, failureFeed })) as ServiceVerdict as TotpVerdict;
}

async function homeFor(home: string | undefined): Promise<OpenHome> {
  const key = home ?? '';
  let pending = HOMES.get(key);
  if (!pending) {
    pending = openHome(home);
    HOMES.set(key, pending);
    pending.catch(() => HOMES.delete(key));
  }
  return pending;
}

export interface EnrollTotpOptions {
  readonly home?: string | undefined;
  /** The name authenticator apps show (default: totp.issuer from config.yaml, else agentsec). */
  readonly issuer?: string | undefined;
  readonly algorithm?: 'SHA1' | 'SHA256' | 'SHA512' | undefined;
  readonly digits?: 6 | 8 | undefined;
  readonly period?: number | undefined;
  /** Replace an existing enrollment (its seed, backup codes and failures). */
  readonly force?: boolean | undefined;
}

/** A pending enrollment, as `agentsec totp enroll --json` prints it: `secret` and `uri` are shown this once. */
export interface TotpEnrollment {
  readonly user: string;
  readonly id: string;
  readonly status: 'pending';
  readonly issuer: string;
  readonly algorithm: TotpParams['algorithm'];
  readonly digits: TotpParams['digits'];
  readonly period: number;
  /** The otpauth:// URI (for a QR code): it holds the seed. */
  readonly uri: string;
  /** The base32 seed. */
  readonly secret: string;
}

/**
 * Enrolls a user as pending (`agentsec totp enroll`), audited `totp.enroll`; the seed is stored sealed under the
 * master key. The user becomes active with {@link confirmTotp}. Throws for a bad name or parameters, and for an
 * existing enrollment without `force`.
 */
export async function enrollTotp(user: string, opts: EnrollTotpOptions = {}): Promise<TotpEnrollment> {
  if (typeof user !== 'string' || !USER_NAME_PATTERN.test(user)) throw usageError(`enrollTotp: user '${String(user).slice(0, 64)}' is not a valid user name`);
  const params: TotpParams = { algorithm: opts.algorithm ?? 'SHA1', digits: opts.digits ?? 6, period: opts.period ?? DEFAULT_PERIOD };
  if (!(ALGORITHMS as readonly string[]).includes(params.algorithm)) throw usageError(`enrollTotp: algorithm must be one of ${ALGORITHMS.join(', ')}`);
  if (!(DIGITS as readonly number[]).includes(params.digits)) throw usageError('enrollTotp: digits must be 6 or 8');
  if (!Number.isInteger(params.period) || params.period < MIN_PERIOD || params.period > MAX_PERIOD) throw usageError(`enrollTotp: period must be ${MIN_PERIOD} to ${MAX_PERIOD} seconds`);
  const h = await homeFor(opts.home);
  const issuer = opts.issuer ?? (await h.rt.config()).totp?.issuer ?? 'agentsec';
  if (typeof issuer !== 'string' || !ISSUER_PATTERN.test(issuer)) throw usageError('enrollTotp: issuer must be 1-64 letters, digits, spaces and . _ @ + & ( ) - (no colon)');
  const { enrollUser } = await import('../services/totp.js');
  const e = await enrollUser(h.svc, { name: user, issuer, params, force: opts.force === true });
  return { user, id: e.user.id, status: 'pending', issuer, algorithm: params.algorithm, digits: params.digits, period: params.period, uri: e.uri, secret: e.secret };
}

/** What {@link confirmTotp} answers: the user is active with its backup codes (shown once), or why not. */
export type ConfirmTotpResult =
  | { readonly confirmed: true; readonly user: string; readonly id: string; readonly status: 'active'; readonly backupCodes: readonly string[] }
  | ({ readonly confirmed: false } & Extract<TotpVerdict, { valid: false }>);

/**
 * Confirms a pending enrollment with a current code from the user's app (`agentsec totp confirm`) and returns its 10
 * backup codes, once. A wrong code counts toward the lockout and leaves the enrollment pending.
 */
export async function confirmTotp(user: string, code: string, opts: { readonly home?: string | undefined; readonly window?: number | undefined } = {}): Promise<ConfirmTotpResult> {
  if (typeof user !== 'string' || !USER_NAME_PATTERN.test(user)) throw usageError(`confirmTotp: user '${String(user).slice(0, 64)}' is not a valid user name`);
  const window = opts.window ?? DEFAULT_WINDOW;
  if (!Number.isInteger(window) || window < 0 || window > MAX_WINDOW) throw usageError(`confirmTotp: window must be an integer from 0 to ${MAX_WINDOW}`);
  if (typeof code !== 'string') return { confirmed: false, code: 'MALFORMED', valid: false, user };
  const h = await homeFor(opts.home);
  const { confirmUser } = await import('../services/totp.js');
  const r = await confirmUser(h.svc, user, code, { window });
  if ('backupCodes' in r) return { confirmed: true, user, id: r.user.id, status: 'active', backupCodes: r.backupCodes };
  return { confirmed: false, ...(r as ServiceVerdict as Extract<TotpVerdict, { valid: false }>) };
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
