import { generateSync, generateURI, ScureBase32Plugin, verifySync } from 'otplib';
import type { TotpAlgorithm, TotpParams } from './params.js';

const base32 = new ScureBase32Plugin();

function otplibAlgorithm(a: TotpAlgorithm): 'sha1' | 'sha256' | 'sha512' {
  return a === 'SHA1' ? 'sha1' : a === 'SHA256' ? 'sha256' : 'sha512';
}

/** RFC 4648 base32 without padding, as authenticator apps expect in `secret=`. */
export function seedToBase32(seed: Uint8Array): string {
  return base32.encode(seed, { padding: false });
}

/** The time step (RFC 6238 T) that a Unix time in milliseconds falls in. */
export function timeStepAt(nowMs: number, period: number): number {
  return Math.floor(Math.floor(nowMs / 1000) / period);
}

/** The code for a seed at a time (ms). Throws on a seed otplib refuses (shorter than 16 bytes). */
export function totpCode(seed: Uint8Array, params: TotpParams, nowMs: number): string {
  return generateSync({ secret: seed, algorithm: otplibAlgorithm(params.algorithm), digits: params.digits, period: params.period, epoch: Math.floor(nowMs / 1000) });
}

export type TotpCheck =
  | { readonly valid: true; readonly timeStep: number; readonly delta: number }
  | { readonly valid: false; readonly reason: 'invalid' | 'replayed' };

/**
 * Checks a code against a seed at `nowMs`, accepting `window` time steps either side, and refusing a code for a time
 * step at or before `lastStep` (replay: RFC 6238 §5.2 says a verifier must not accept the second attempt of an
 * already accepted OTP). The code must already be 6 or 8 digits ({@link classifyCode}); anything otplib still
 * throws on is an invalid code, never a crash.
 */
export function checkTotp(seed: Uint8Array, params: TotpParams, code: string, opts: { nowMs: number; window: number; lastStep: number | null }): TotpCheck {
  if (code.length !== params.digits || !/^\d+$/.test(code)) return { valid: false, reason: 'invalid' };
  const base = {
    secret: seed,
    token: code,
    algorithm: otplibAlgorithm(params.algorithm),
    digits: params.digits,
    period: params.period,
    epoch: Math.floor(opts.nowMs / 1000),
    // Seconds either side: window × period covers exactly `window` steps back and forward.
    epochTolerance: opts.window * params.period,
  };
  const matchAny = (): boolean => {
    try {
      return verifySync(base).valid;
    } catch {
      return false;
    }
  };
  if (opts.lastStep === null) {
    try {
      const r = verifySync(base);
      return r.valid && 'timeStep' in r ? { valid: true, timeStep: r.timeStep, delta: r.delta } : { valid: false, reason: 'invalid' };
    } catch {
      return { valid: false, reason: 'invalid' };
    }
  }
  try {
    const r = verifySync({ ...base, afterTimeStep: opts.lastStep });
    if (r.valid && 'timeStep' in r) return { valid: true, timeStep: r.timeStep, delta: r.delta };
  } catch {
    // otplib throws when lastStep lies past the whole window (a clock that went back): nothing here can be new.
  }
  // Not accepted: a code that the window would match without the replay guard was used before.
  return { valid: false, reason: matchAny() ? 'replayed' : 'invalid' };
}

/** The otpauth:// URI an authenticator app scans (Key Uri Format: label `issuer:user`, issuer parameter too). */
export function otpauthUri(seed: Uint8Array, params: TotpParams, issuer: string, user: string): string {
  return generateURI({
    issuer,
    label: user,
    secret: seedToBase32(seed),
    algorithm: otplibAlgorithm(params.algorithm),
    digits: params.digits,
    period: params.period,
  });
}
