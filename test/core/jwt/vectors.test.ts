import assert from 'node:assert/strict';
import { createPublicKey, createSecretKey } from 'node:crypto';
import { test } from 'node:test';
import { verifyJws, verifyToken } from '../../../src/core/jwt/verify.js';

// RFC 7515 Appendix A.1 (HS256) and A.3 (ES256), RFC 8037 Appendix A.4 (Ed25519), copied from the RFCs.
const A1_KEY = 'AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow';
const A1 = 'eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const A3_JWK = { kty: 'EC', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' };
const A3 = 'eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q';
const ED_JWK = { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' };
const ED = 'eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg';

const hsKey = { kid: 'a1', alg: 'HS256' as const, key: new Uint8Array(Buffer.from(A1_KEY, 'base64url')) };
const esKey = { kid: 'a3', alg: 'ES256' as const, key: createPublicKey({ key: A3_JWK, format: 'jwk' }) };
const edKey = { kid: 'ed', alg: 'EdDSA' as const, key: createPublicKey({ key: ED_JWK, format: 'jwk' }) };

test('RFC 7515 A.1 (HS256) verifies', async () => {
  const r = await verifyJws(A1, { keys: [hsKey] });
  assert.equal(r.valid, true);
  if (r.valid) assert.match(Buffer.from(r.payload).toString(), /"iss":"joe"/);
});

test('RFC 7515 A.3 (ES256) verifies', async () => {
  assert.equal((await verifyJws(A3, { keys: [esKey] })).valid, true);
});

test('RFC 8037 A.4 (Ed25519) verifies', async () => {
  const r = await verifyJws(ED, { keys: [edKey] });
  assert.equal(r.valid, true);
  if (r.valid) assert.equal(Buffer.from(r.payload).toString(), 'Example of Ed25519 signing');
});

test('the vectors fail with a one-bit change and under a key of another algorithm', async () => {
  const sig = A1.split('.')[2] as string;
  const flipped = `${sig.slice(0, 10)}${sig[10] === 'A' ? 'B' : 'A'}${sig.slice(11)}`;
  assert.deepEqual(await verifyJws(A1.replace(sig, flipped), { keys: [hsKey] }), { valid: false, reason: 'bad-signature' });
  assert.deepEqual(await verifyJws(A3, { keys: [edKey] }), { valid: false, reason: 'alg-not-allowed' });
  // The A.1 secret as an HMAC key object also works (jose accepts either form).
  assert.equal((await verifyJws(A1, { keys: [{ ...hsKey, key: createSecretKey(Buffer.from(A1_KEY, 'base64url')) }] })).valid, true);
});

test('as access tokens the vectors are refused by type: they carry typ JWT or none, not at+jwt', async () => {
  const now = 1300819380 * 1000 - 60_000;
  const v = await verifyToken(A1, { keys: [hsKey] }, { now, kind: 'access', clockToleranceS: 30 });
  assert.equal(v.reason, 'wrong-type');
});
