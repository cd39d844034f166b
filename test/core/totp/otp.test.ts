import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it, test } from 'node:test';
import { checkTotp, otpauthUri, seedToBase32, timeStepAt, totpCode } from '../../../src/core/totp/otp.js';
import { classifyCode, SEED_BYTES, type TotpAlgorithm, type TotpParams } from '../../../src/core/totp/params.js';
import { generateSeed } from '../../../src/core/totp/seed.js';

// RFC 6238 appendix B: the seed is the ASCII string "1234567890" repeated to the HMAC's output length.
const RFC_SEEDS: Record<TotpAlgorithm, Buffer> = {
  SHA1: Buffer.from('12345678901234567890'),
  SHA256: Buffer.from('12345678901234567890123456789012'),
  SHA512: Buffer.from('1234567890123456789012345678901234567890123456789012345678901234'),
};
const RFC6238: ReadonlyArray<[number, string, string, string]> = [
  [59, '94287082', '46119246', '90693936'],
  [1111111109, '07081804', '68084774', '25091201'],
  [1111111111, '14050471', '67062674', '99943326'],
  [1234567890, '89005924', '91819424', '93441116'],
  [2000000000, '69279037', '90698825', '38618901'],
  [20000000000, '65353130', '77737706', '47863826'],
];

test('RFC 6238 appendix B vectors (SHA1, SHA256, SHA512 with 20/32/64-byte seeds, 8 digits)', () => {
  for (const [t, sha1, sha256, sha512] of RFC6238) {
    const expected: Record<TotpAlgorithm, string> = { SHA1: sha1, SHA256: sha256, SHA512: sha512 };
    for (const algorithm of ['SHA1', 'SHA256', 'SHA512'] as const) {
      const params: TotpParams = { algorithm, digits: 8, period: 30 };
      assert.equal(totpCode(RFC_SEEDS[algorithm], params, t * 1000), expected[algorithm], `${algorithm} at ${t}`);
      // And the checker accepts exactly that code at that time.
      assert.deepEqual(checkTotp(RFC_SEEDS[algorithm], params, expected[algorithm], { nowMs: t * 1000, window: 0, lastStep: null }), {
        valid: true,
        timeStep: Math.floor(t / 30),
        delta: 0,
      });
    }
  }
});

test('RFC 4226 appendix D vectors: HOTP counter c is the TOTP code of time step c', () => {
  const codes = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
  const params: TotpParams = { algorithm: 'SHA1', digits: 6, period: 30 };
  codes.forEach((code, counter) => assert.equal(totpCode(RFC_SEEDS.SHA1, params, counter * 30_000), code, `counter ${counter}`));
});

describe('checkTotp', () => {
  const seed = Buffer.alloc(20, 7);
  const params: TotpParams = { algorithm: 'SHA1', digits: 6, period: 30 };
  const now = 1_700_000_015_000; // mid-step
  const step = timeStepAt(now, 30);
  const codeAt = (s: number) => totpCode(seed, params, s * 30_000);

  it('accepts ±window steps and says which, refuses one step further', () => {
    for (const d of [-1, 0, 1]) assert.deepEqual(checkTotp(seed, params, codeAt(step + d), { nowMs: now, window: 1, lastStep: null }), { valid: true, timeStep: step + d, delta: d });
    for (const d of [-2, 2]) {
      assert.deepEqual(checkTotp(seed, params, codeAt(step + d), { nowMs: now, window: 1, lastStep: null }), { valid: false, reason: 'invalid' });
      assert.equal(checkTotp(seed, params, codeAt(step + d), { nowMs: now, window: 2, lastStep: null }).valid, true);
    }
    assert.equal(checkTotp(seed, params, codeAt(step - 1), { nowMs: now, window: 0, lastStep: null }).valid, false);
  });

  it('refuses a code for a step at or before the last accepted one, and calls it a replay', () => {
    assert.deepEqual(checkTotp(seed, params, codeAt(step), { nowMs: now, window: 1, lastStep: step }), { valid: false, reason: 'replayed' });
    assert.deepEqual(checkTotp(seed, params, codeAt(step - 1), { nowMs: now, window: 1, lastStep: step - 1 }), { valid: false, reason: 'replayed' });
    assert.equal(checkTotp(seed, params, codeAt(step + 1), { nowMs: now, window: 1, lastStep: step }).valid, true);
    assert.deepEqual(checkTotp(seed, params, '000000' === codeAt(step) ? '111111' : '000000', { nowMs: now, window: 1, lastStep: step - 5 }), { valid: false, reason: 'invalid' });
  });

  it('a last step past the whole window (clock went back) is an answer, not a crash', () => {
    assert.deepEqual(checkTotp(seed, params, codeAt(step), { nowMs: now, window: 1, lastStep: step + 10 }), { valid: false, reason: 'replayed' });
  });

  it('malformed codes and seeds otplib refuses are invalid, never a throw', () => {
    for (const bad of ['', '12345', '1234567', 'abcdef', ' 12345', '１２３４５６', '12345678', '-12345']) {
      assert.deepEqual(checkTotp(seed, params, bad, { nowMs: now, window: 1, lastStep: null }), { valid: false, reason: 'invalid' }, JSON.stringify(bad));
    }
    const shortSeed = Buffer.alloc(5, 1);
    assert.throws(() => totpCode(shortSeed, params, now), 'otplib refuses short seeds');
    assert.deepEqual(checkTotp(shortSeed, params, '123456', { nowMs: now, window: 1, lastStep: null }), { valid: false, reason: 'invalid' });
  });

  it('an 8-digit user never accepts a 6-digit code', () => {
    const p8: TotpParams = { algorithm: 'SHA256', digits: 8, period: 30 };
    const seed32 = Buffer.alloc(32, 3);
    const code8 = totpCode(seed32, p8, now);
    assert.equal(checkTotp(seed32, p8, code8, { nowMs: now, window: 0, lastStep: null }).valid, true);
    assert.equal(checkTotp(seed32, p8, code8.slice(2), { nowMs: now, window: 0, lastStep: null }).valid, false);
  });
});

test('classifyCode: TOTP codes, backup codes and the reasons for everything else', () => {
  assert.deepEqual(classifyCode('123456'), { kind: 'totp', code: '123456' });
  assert.deepEqual(classifyCode('12345678'), { kind: 'totp', code: '12345678' });
  assert.deepEqual(classifyCode('ABCDE-FGHJK'), { kind: 'backup', code: 'abcdefghjk' });
  assert.deepEqual(classifyCode('abcdefghjk'), { kind: 'backup', code: 'abcdefghjk' });
  for (const bad of ['', '12345', '1234567', '123456789', ' 123456', '123456 ', '123 456', '12345a', 'abcde-fghj1', 'abcde--fghjk', 'x'.repeat(40), '１２３４５６', 'abcde-fghjl']) {
    assert.equal(classifyCode(bad).kind, 'malformed', JSON.stringify(bad));
  }
});

test('seeds are as long as the HMAC output, from the given randomness', () => {
  const fixed = (n: number) => Buffer.alloc(n, 0xab);
  for (const a of ['SHA1', 'SHA256', 'SHA512'] as const) assert.equal(generateSeed(a, fixed).length, SEED_BYTES[a]);
  assert.deepEqual([SEED_BYTES.SHA1, SEED_BYTES.SHA256, SEED_BYTES.SHA512], [20, 32, 64]);
});

test('otpauth URI carries issuer, label, unpadded base32 secret and non-default parameters', () => {
  const seed = RFC_SEEDS.SHA256;
  const uri = new URL(otpauthUri(seed, { algorithm: 'SHA256', digits: 8, period: 60 }, 'ACME agents', 'alice@example.com'));
  assert.equal(uri.protocol, 'otpauth:');
  assert.equal(uri.host, 'totp');
  assert.equal(decodeURIComponent(uri.pathname), '/ACME agents:alice@example.com');
  assert.equal(uri.searchParams.get('secret'), seedToBase32(seed));
  assert.ok(!seedToBase32(seed).includes('='));
  assert.equal(uri.searchParams.get('issuer'), 'ACME agents');
  assert.equal(uri.searchParams.get('algorithm'), 'SHA256');
  assert.equal(uri.searchParams.get('digits'), '8');
  assert.equal(uri.searchParams.get('period'), '60');
});

// Debian's oathtool (package oathtool): an independent implementation of RFC 6238.
const HAVE_OATHTOOL = spawnSync('sh', ['-c', 'command -v oathtool'], { encoding: 'utf8' }).status === 0;
const SKIP = HAVE_OATHTOOL ? false : 'oathtool not installed (apt-get install oathtool): independent cross-check skipped';

describe('codes against oathtool', { skip: SKIP }, () => {
  it('agentsec accepts exactly the codes oathtool computes for the same seed and time', () => {
    let counter = 0;
    const random = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 37 + counter++ * 11) & 0xff));
    const cases: TotpParams[] = [
      { algorithm: 'SHA1', digits: 6, period: 30 },
      { algorithm: 'SHA256', digits: 8, period: 30 },
      { algorithm: 'SHA512', digits: 6, period: 60 },
      { algorithm: 'SHA1', digits: 8, period: 15 },
    ];
    for (const params of cases) {
      const seed = generateSeed(params.algorithm, random);
      for (const t of [59, 1_111_111_111, 1_700_000_000, 2_000_000_000]) {
        const r = spawnSync('oathtool', [`--totp=${params.algorithm.toLowerCase()}`, '-b', `--digits=${params.digits}`, `--time-step-size=${params.period}s`, `--now=@${t}`, seedToBase32(seed)], { encoding: 'utf8' });
        assert.equal(r.status, 0, r.stderr);
        const theirs = r.stdout.trim();
        assert.equal(totpCode(seed, params, t * 1000), theirs, `${params.algorithm}/${params.digits}/${params.period} at ${t}`);
        assert.equal(checkTotp(seed, params, theirs, { nowMs: t * 1000, window: 0, lastStep: null }).valid, true);
        // The neighbour's code (oathtool one step on) is accepted only inside the window.
        const next = spawnSync('oathtool', [`--totp=${params.algorithm.toLowerCase()}`, '-b', `--digits=${params.digits}`, `--time-step-size=${params.period}s`, `--now=@${t + params.period}`, seedToBase32(seed)], { encoding: 'utf8' }).stdout.trim();
        if (next !== theirs) {
          assert.equal(checkTotp(seed, params, next, { nowMs: t * 1000, window: 0, lastStep: null }).valid, false);
          assert.equal(checkTotp(seed, params, next, { nowMs: t * 1000, window: 1, lastStep: null }).valid, true);
        }
      }
    }
  });
});

test('the core reads no clock of its own: with Date frozen at 0 the answers follow the time passed in', (t) => {
  t.mock.timers.enable({ apis: ['Date'], now: 0 });
  const params: TotpParams = { algorithm: 'SHA512', digits: 8, period: 30 };
  assert.equal(totpCode(RFC_SEEDS.SHA512, params, 2_000_000_000_000), '38618901');
  assert.equal(checkTotp(RFC_SEEDS.SHA512, params, '38618901', { nowMs: 2_000_000_000_000, window: 0, lastStep: null }).valid, true);
  assert.equal(checkTotp(RFC_SEEDS.SHA512, params, '38618901', { nowMs: 0, window: 2, lastStep: null }).valid, false);
});
