import { run } from '../../../src/cli/main.js';
import { totpCode } from '../../../src/core/totp/otp.js';
import type { TotpParams } from '../../../src/core/totp/params.js';
import { fakeIo } from '../../support/io.js';
import { tempDir } from '../../support/cli.js';

export interface InProcess {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in-process against `home`, with stdin text and a frozen clock when given. */
export async function cli(home: string, args: string[], opts: { stdin?: string; now?: number } = {}): Promise<InProcess> {
  const io = fakeIo({ stdin: opts.stdin ?? '' });
  const now = opts.now;
  const code = await run(['--home', home, ...args], io, now !== undefined ? { ctxOverrides: { clock: () => new Date(now) } } : {});
  return { code, stdout: io.out(), stderr: io.err() };
}

export async function initHome(): Promise<{ home: string; cleanup: () => void }> {
  const t = tempDir('agentsec-totp-');
  const home = `${t.dir}/home`;
  const r = await cli(home, ['init']);
  if (r.code !== 0) throw new Error(`init failed: ${r.stderr}`);
  return { home, cleanup: t.cleanup };
}

export interface Enrollment {
  readonly secret: string;
  readonly uri: string;
  readonly id: string;
  readonly seed: Buffer;
  readonly params: TotpParams;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
export function base32Decode(text: string): Buffer {
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of text) {
    value = (value << 5) | BASE32.indexOf(ch);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

export async function enroll(home: string, user: string, args: string[] = [], now?: number): Promise<Enrollment> {
  const r = await cli(home, ['--json', 'totp', 'enroll', user, ...args], now !== undefined ? { now } : {});
  if (r.code !== 0) throw new Error(`enroll failed: ${r.stderr}`);
  const doc = JSON.parse(r.stdout) as { secret: string; uri: string; id: string } & TotpParams;
  return { secret: doc.secret, uri: doc.uri, id: doc.id, seed: base32Decode(doc.secret), params: { algorithm: doc.algorithm, digits: doc.digits, period: doc.period } };
}

export function codeAt(e: Enrollment, ms: number): string {
  return totpCode(e.seed, e.params, ms);
}

/** Enrolls and confirms; returns the enrollment and its backup codes. */
export async function activeUser(home: string, user: string, now: number, args: string[] = []): Promise<Enrollment & { backupCodes: string[] }> {
  const e = await enroll(home, user, args, now);
  const r = await cli(home, ['--json', 'totp', 'confirm', user], { stdin: `${codeAt(e, now)}\n`, now });
  if (r.code !== 0) throw new Error(`confirm failed: ${r.stderr}`);
  return { ...e, backupCodes: (JSON.parse(r.stdout) as { backupCodes: string[] }).backupCodes };
}
