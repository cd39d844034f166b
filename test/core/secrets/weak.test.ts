import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSecretKeyName, isLlmKeyName, secretValueKind } from '../../../src/core/secrets/names.js';
import { estimateBits, isKnownDefaultSecret, isSigningSecretName, weakSecretReason } from '../../../src/core/secrets/weak.js';

describe('isKnownDefaultSecret', () => {
  for (const v of ['changeme', 'CHANGE-ME', 'change-in-production', 'change-this-secret-key', 'mysecret', 'secret', 't0p-s3cr3t', 'sk-1234', 'your-api-key-here', 'your_jwt_secret_key_at_least_32_chars', '"changeme"', '0000000000000000000000000000000000000000000000000000000000000000', 'xxxxxxxx', '<your-token>', 'minioadmin', 'my-secret-key', 'changePassword', 'change_db_password', 'changeSecretKey']) {
    it(`knows ${v.slice(0, 30)}`, () => assert.equal(isKnownDefaultSecret(v), true));
  }
  for (const v of ['', 'f3a9c1e07b5d4e2a8c6f0b1d9e7a5c3b', 'Zq8-vR2m-Lk5w', 'changeUser', 'exchange-rates-token-9f3Kq2', 'sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z']) {
    it(`does not flag ${v || '(empty)'}`, () => assert.equal(isKnownDefaultSecret(v), false));
  }
});

describe('weakSecretReason', () => {
  it('says empty', () => assert.equal(weakSecretReason('  '), 'empty'));
  it('says template', () => assert.equal(weakSecretReason('mysecret'), 'a known template or default value'));
  it('accepts anything else without a strength bar', () => assert.equal(weakSecretReason('abc123xyz'), undefined));
  it('wants 256 bits for signing secrets', () => {
    assert.match(weakSecretReason('f3a9c1e07b5d4e2a8c6f0b1d9e7a5c3b', { minBits: 256 }) ?? '', /too weak \(~128 bits/);
    assert.equal(weakSecretReason('f3a9c1e07b5d4e2a8c6f0b1d9e7a5c3bf3a9c1e07b5d4e2a8c6f0b1d9e7a5c3c', { minBits: 256 }), undefined);
    assert.equal(weakSecretReason('q7Jt0Xk3Vb9Lr2Mz8Ns4Pw6Yd1Hc5Gf0Ea3Ub7Ti9Ro=', { minBits: 256 }), undefined);
  });
  it('flags repetition', () => assert.equal(weakSecretReason('abababababababababababababababababababab', { minBits: 256 }), 'too few distinct characters'));
  it('never repeats the value', () => {
    const v = 'hunter2hunter2';
    assert.ok(!(weakSecretReason(v, { minBits: 256 }) ?? '').includes(v));
  });
  it('estimates bits from character classes', () => {
    assert.equal(estimateBits('0123456789abcdef'), 64);
    assert.ok(estimateBits('aB3$') > 20);
  });
});

describe('secret names', () => {
  for (const n of ['JWT_SECRET', 'OPENAI_API_KEY', 'POSTGRES_PASSWORD', 'SALT', 'MASTER_KEY', 'GITHUB_TOKEN', 'REDIS_AUTH', 'db.password', 'apiKey']) it(`${n} is secret`, () => assert.equal(isSecretKeyName(n), true));
  for (const n of ['JWT_SECRET_FILE', 'LANGFUSE_PUBLIC_KEY', 'MAX_TOKENS', 'ACCESS_TOKEN_TTL', 'PASSWORD_MIN_LENGTH', 'AWS_ACCESS_KEY_ID', 'DISABLE_PASSWORD_LOGIN', 'NEXT_PUBLIC_POSTHOG_KEY', 'WEBUI_AUTH']) it(`${n} is not`, () => assert.equal(isSecretKeyName(n), false));
  it('knows LLM key names', () => {
    for (const n of ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'GOOGLE_GEMINI_API_KEY', 'HF_TOKEN', 'AZURE_OPENAI_API_KEY', 'OPENROUTER_API_KEY']) assert.equal(isLlmKeyName(n), true, n);
    for (const n of ['JWT_SECRET', 'GITHUB_TOKEN']) assert.equal(isLlmKeyName(n), false, n);
  });
  it('knows signing secret names', () => {
    for (const n of ['JWT_SECRET', 'NEXTAUTH_SECRET', 'SESSION_SECRET', 'ENCRYPTION_KEY', 'SALT']) assert.equal(isSigningSecretName(n), true, n);
    assert.equal(isSigningSecretName('POSTGRES_PASSWORD'), false);
  });
  it('recognises key shapes', () => {
    assert.equal(secretValueKind('sk-ant-api03-abcdefghijklmnopqrstuvwx')?.llm, true);
    assert.equal(secretValueKind('ghp_abcdefghijklmnopqrstuvwxyz0123456789')?.llm, false);
    assert.equal(secretValueKind('hello world'), undefined);
  });
});
