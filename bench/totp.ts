import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkTotp, totpCode } from '../src/core/totp/otp.js';
import type { TotpParams } from '../src/core/totp/params.js';
import { closeTotpStores, verifyTotp } from '../src/index.js';
import { BIN, ratioRow, timeCommand, type Bench, type Row } from './lib.js';

const PARAMS: TotpParams = { algorithm: 'SHA1', digits: 6, period: 30 };
const CORE_CALLS = 20_000;
const LIB_CALLS = 500;

function rate(calls: number, fn: (i: number) => unknown): number {
  for (let i = 0; i < Math.min(calls, 1000); i++) fn(i);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) fn(i);
  return calls / (Number(process.hrtime.bigint() - t0) / 1e9);
}

function base32Decode(text: string): Buffer {
  const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of text) {
    value = (value << 5) | A.indexOf(ch);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/**
 * TOTP verification: the pure ±1-step check (otplib) against three HMAC-SHA1 computations with node:crypto (the
 * least a ±1 window can cost) measured in the same run; the library call verifyTotp, each call a fresh time step
 * so every call is VALID and commits its replay guard (synchronous=FULL: one fsync per call); and the whole
 * `totp verify` command against `node -e 0`.
 */
export const totpBench: Bench = {
  name: 'TOTP verify',
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'agentsec-bench-totp-'));
    const home = join(dir, 'h');
    try {
      const env = { ...process.env, AGENTSEC_HOME: home };
      const sh = (args: string[], input = '') => {
        const r = spawnSync(process.execPath, [BIN, ...args], { env, input, encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`agentsec ${args.join(' ')} failed: ${r.stderr}`);
        return r.stdout;
      };
      sh(['init']);
      // Failures in the command benchmark must never lock the user.
      writeFileSync(join(home, 'config.yaml'), 'totp:\n  maxFailures: 1000\n  failureWindow: 1s\n', { mode: 0o600 });
      const secret = (JSON.parse(sh(['--json', 'totp', 'enroll', 'bench'])) as { secret: string }).secret;
      const seed = base32Decode(secret);
      const start = Date.now();
      sh(['totp', 'confirm', 'bench'], totpCode(seed, PARAMS, start));

      const nowMs = Date.UTC(2030, 0, 1);
      const code = totpCode(seed, PARAMS, nowMs);
      const hmacRate = rate(CORE_CALLS, (i) => {
        for (let s = -1; s <= 1; s++) createHmac('sha1', seed).update(Buffer.alloc(8, i + s)).digest();
      });
      const coreValid = rate(CORE_CALLS, () => checkTotp(seed, PARAMS, code, { nowMs, window: 1, lastStep: null }));
      const coreInvalid = rate(CORE_CALLS, () => checkTotp(seed, PARAMS, code === '000000' ? '111111' : '000000', { nowMs, window: 1, lastStep: null }));

      // Each call one step later than the one before: always VALID, never a replay.
      const base = start + 10 * 60_000;
      const codes = Array.from({ length: LIB_CALLS + 20 }, (_, i) => totpCode(seed, PARAMS, base + i * 30_000));
      let k = 0;
      const first = await verifyTotp('bench', codes[0] as string, { home, now: new Date(base) });
      if (first.code !== 'VALID') throw new Error(`bench store broken: ${first.code}`);
      k = 1;
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < LIB_CALLS; i++, k++) {
        const r = await verifyTotp('bench', codes[k] as string, { home, now: new Date(base + k * 30_000) });
        if (!r.valid) throw new Error(`verifyTotp: ${r.code}`);
      }
      const libRate = LIB_CALLS / (Number(process.hrtime.bigint() - t0) / 1e9);
      await closeTotpStores();

      const baseline = timeCommand(process.execPath, ['-e', '0']);
      const cli = timeCommand(process.execPath, [BIN, 'totp', 'verify', 'bench'], { env, input: '000000', okCodes: [0, 1] });
      const rows: Row[] = [
        { label: '3x HMAC-SHA1, node:crypto (baseline)', value: hmacRate, unit: '/s', ratio: 1 },
        { label: 'checkTotp VALID (±1 step)', value: coreValid, unit: '/s', ratio: coreValid / hmacRate },
        { label: 'checkTotp INVALID (±1 step)', value: coreInvalid, unit: '/s', ratio: coreInvalid / hmacRate },
        { label: 'verifyTotp VALID (decrypt, check, commit)', value: libRate, unit: '/s', ratio: libRate / hmacRate },
        { label: 'node -e 0 (baseline)', value: baseline.medianMs, unit: 'ms', ratio: 1 },
        ratioRow('agentsec totp verify (whole command)', cli, baseline, 1.4),
      ];
      return { name: this.name, rows, notes: ['SHA1/6/30s; otplib computes the HMAC with @noble/hashes (pure JS)'] };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
