import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkPasswordPolicy, DEFAULT_POLICY, parsePolicyFlags, resolvePolicy, type PasswordPolicy } from '../../../src/core/passwords/policy.js';
import { configSchema } from '../../../src/core/config.js';

const common = new Set(['password1234', 'qwerty', 'iloveyou']);
const codes = (pw: string, p: PasswordPolicy = DEFAULT_POLICY): string[] => {
  const v = checkPasswordPolicy(pw, p, common);
  return v.ok ? [] : v.violations.map((x) => x.code);
};

test('defaults: at least 12 characters, at most 1024 bytes, no common passwords (any case)', () => {
  assert.deepEqual(DEFAULT_POLICY, { minLength: 12, maxLength: 1024, rejectCommon: true });
  const rows: Array<[string, string[]]> = [
    ['hunter2', ['too-short']],
    ['abcdefghijk', ['too-short']],
    ['abcdefghijkl', []],
    ['password1234', ['common']],
    ['PassWord1234', ['common']],
    ['QWERTY', ['too-short', 'common']],
    ['', ['empty']],
    ['x'.repeat(1024), []],
    ['x'.repeat(1025), ['too-long']],
    // Characters count as code points for the floor, bytes for the ceiling.
    ['🔑'.repeat(12), []],
    ['🔑'.repeat(11), ['too-short']],
    ['🔑'.repeat(257), ['too-long']],
  ];
  for (const [pw, want] of rows) assert.deepEqual(codes(pw), want, `${pw.slice(0, 20)} (${pw.length})`);
});

test('no message echoes the password', () => {
  for (const pw of ['hunter2', 'ILoveYou', 'Z'.repeat(2000), 'qwerty']) {
    const v = checkPasswordPolicy(pw, DEFAULT_POLICY, common);
    assert.equal(v.ok, false);
    if (!v.ok) for (const x of v.violations) assert.ok(!x.message.toLowerCase().includes(pw.toLowerCase().slice(0, 6)), x.message);
  }
});

test('--policy knobs relax the policy; the ceiling stays with off', () => {
  const p = (flags: string[]) => {
    const f = parsePolicyFlags(flags);
    assert.ok(f.ok, JSON.stringify(flags));
    return resolvePolicy({ minLength: 14 }, f.ok ? f.overrides : {});
  };
  assert.deepEqual(p([]), { minLength: 14, maxLength: 1024, rejectCommon: true }, 'config beats defaults');
  assert.deepEqual(p(['min-length=8']), { minLength: 8, maxLength: 1024, rejectCommon: true }, 'flags beat config');
  assert.deepEqual(p(['off']), { minLength: 1, maxLength: 1024, rejectCommon: false });
  assert.deepEqual(p(['common=allow', 'max-length=4096']), { minLength: 14, maxLength: 4096, rejectCommon: false });
  assert.deepEqual(codes('hunter2', p(['off']) as PasswordPolicy), []);
  assert.deepEqual(codes('x'.repeat(1025), p(['off']) as PasswordPolicy), ['too-long']);
  for (const bad of ['min-length=0', 'min-length=x', 'max-length=7', 'max-length=70000', 'common=yes', 'strict', 'min-length']) {
    assert.equal(parsePolicyFlags([bad]).ok, false, bad);
  }
  assert.deepEqual(resolvePolicy({ maxLength: 16 }, { minLength: 20 }), { error: 'min-length 20 is above max-length 16' });
});

test('config.yaml passwords: is validated', () => {
  assert.ok(configSchema.safeParse({ passwords: { minLength: 10, maxLength: 2048, rejectCommon: false } }).success);
  for (const bad of [{ minLength: 0 }, { maxLength: 1 }, { minLength: 20, maxLength: 16 }, { min_length: 10 }, { rejectCommon: 'no' }]) {
    assert.equal(configSchema.safeParse({ passwords: bad }).success, false, JSON.stringify(bad));
  }
});
