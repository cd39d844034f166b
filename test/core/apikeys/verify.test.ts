import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { generateApiKey } from '../../../src/core/apikeys/format.js';
import type { ApiKeyRecord } from '../../../src/core/apikeys/record.js';
import { hmacApiKey, LAST_USED_RESOLUTION_MS, verifyKey, VERIFY_CODES, type ApiKeyLookup, type VerifyCode } from '../../../src/core/apikeys/verify.js';
import { parseIp } from '../../../src/core/net/index.js';

const NOW = Date.parse('2026-06-01T00:00:00Z');
const hmacKey = randomBytes(32);

function record(over: Partial<ApiKeyRecord> = {}): ApiKeyRecord {
  return {
    id: 'key_test',
    name: 'test',
    prefix: 'ask',
    last4: 'abcd',
    role: 'operator',
    scopes: [],
    allowIps: [],
    meta: {},
    createdAt: NOW - 1000,
    expiresAt: null,
    revokedAt: null,
    revokeReason: null,
    lastUsedAt: null,
    rotatedFrom: null,
    rotatedTo: null,
    ...over,
  };
}

class FakeLookup implements ApiKeyLookup {
  readonly touched: Array<[string, number]> = [];
  constructor(private readonly rows: Map<string, ApiKeyRecord>) {}
  async findByHmac(hmac: Buffer) {
    const r = this.rows.get(hmac.toString('hex'));
    return r ? { record: r, hmac } : undefined;
  }
  async touchLastUsed(id: string, at: number): Promise<void> {
    this.touched.push([id, at]);
  }
}

function setup(over: Partial<ApiKeyRecord>): { key: string; lookup: FakeLookup } {
  const key = generateApiKey('ask', (n) => randomBytes(n));
  return { key, lookup: new FakeLookup(new Map([[hmacApiKey(hmacKey, key).toString('hex'), record(over)]])) };
}

const ip = (t: string) => parseIp(t);

test('a table case for every verify code', async () => {
  const cases: Array<{ name: string; over?: Partial<ApiKeyRecord>; present?: 'self' | 'typo' | 'unknown'; ip?: string; scopes?: string[]; want: VerifyCode }> = [
    { name: 'plain valid', want: 'VALID' },
    { name: 'typo', present: 'typo', want: 'MALFORMED' },
    { name: 'well-formed but unknown', present: 'unknown', want: 'NOT_FOUND' },
    { name: 'revoked', over: { revokedAt: NOW - 1 }, want: 'REVOKED' },
    { name: 'revoked wins over expired', over: { revokedAt: NOW - 1, expiresAt: NOW - 1 }, want: 'REVOKED' },
    { name: 'expired', over: { expiresAt: NOW - 1 }, want: 'EXPIRED' },
    { name: 'expires exactly now', over: { expiresAt: NOW }, want: 'EXPIRED' },
    { name: 'not yet expired', over: { expiresAt: NOW + 1 }, want: 'VALID' },
    { name: 'ip outside allowlist', over: { allowIps: ['10.0.0.0/8'] }, ip: '11.0.0.1', want: 'FORBIDDEN_IP' },
    { name: 'no ip with an allowlist fails closed', over: { allowIps: ['10.0.0.0/8'] }, want: 'FORBIDDEN_IP' },
    { name: 'ip inside allowlist', over: { allowIps: ['10.0.0.0/8'] }, ip: '10.2.3.4', want: 'VALID' },
    { name: 'mapped ip inside IPv4 allowlist', over: { allowIps: ['10.0.0.0/8'] }, ip: '::ffff:10.2.3.4', want: 'VALID' },
    { name: 'IPv6 allowlist', over: { allowIps: ['10.0.0.0/8', '2001:db8::/32'] }, ip: '2001:db8::7', want: 'VALID' },
    { name: 'IPv6 outside', over: { allowIps: ['2001:db8::/32'] }, ip: '2001:db9::7', want: 'FORBIDDEN_IP' },
    { name: 'expired wins over ip', over: { expiresAt: NOW - 1, allowIps: ['10.0.0.0/8'] }, ip: '1.1.1.1', want: 'EXPIRED' },
    { name: 'scope held by role', scopes: ['memory:read', 'message:inject'], want: 'VALID' },
    { name: 'scope missing', scopes: ['agent:control'], want: 'INSUFFICIENT_SCOPE' },
    { name: 'ip wins over scope', over: { allowIps: ['10.0.0.0/8'] }, ip: '1.1.1.1', scopes: ['agent:control'], want: 'FORBIDDEN_IP' },
    { name: 'scope-only key', over: { role: null, scopes: ['memory:*'] }, scopes: ['memory:write'], want: 'VALID' },
    { name: 'scope-only key lacks read', over: { role: null, scopes: ['memory:*'] }, scopes: ['agent:read'], want: 'INSUFFICIENT_SCOPE' },
  ];
  const seen = new Set<VerifyCode>();
  for (const c of cases) {
    const { key, lookup } = setup(c.over ?? {});
    let presented = key;
    if (c.present === 'typo') presented = key.slice(0, 10) + (key[10] === 'x' ? 'y' : 'x') + key.slice(11);
    if (c.present === 'unknown') presented = generateApiKey('ask', (n) => randomBytes(n));
    const r = await verifyKey(lookup, hmacKey, presented, { ip: c.ip ? ip(c.ip) : undefined, scopes: c.scopes, now: NOW });
    assert.equal(r.code, c.want, c.name);
    assert.equal(r.valid, c.want === 'VALID', c.name);
    if (c.want === 'MALFORMED' || c.want === 'NOT_FOUND') assert.equal(r.key, undefined, c.name);
    else assert.equal(r.key?.id, 'key_test', c.name);
    if (c.want === 'INSUFFICIENT_SCOPE') assert.ok((r.missingScopes ?? []).length > 0, c.name);
    seen.add(r.code);
  }
  assert.deepEqual([...seen].sort(), [...VERIFY_CODES].sort(), 'every code is covered');
});

test('a key made under another HMAC key is NOT_FOUND', async () => {
  const { key, lookup } = setup({});
  assert.equal((await verifyKey(lookup, randomBytes(32), key, { now: NOW })).code, 'NOT_FOUND');
});

test('last-used is written on VALID only, at most once per resolution window', async () => {
  const { key, lookup } = setup({ lastUsedAt: NOW - LAST_USED_RESOLUTION_MS + 1 });
  await verifyKey(lookup, hmacKey, key, { now: NOW });
  assert.deepEqual(lookup.touched, []);
  const old = setup({ lastUsedAt: NOW - LAST_USED_RESOLUTION_MS });
  await verifyKey(old.lookup, hmacKey, old.key, { now: NOW });
  assert.deepEqual(old.lookup.touched, [['key_test', NOW]]);
  const denied = setup({ allowIps: ['10.0.0.0/8'] });
  await verifyKey(denied.lookup, hmacKey, denied.key, { ip: ip('1.1.1.1'), now: NOW });
  assert.deepEqual(denied.lookup.touched, []);
});

test('permissions in the result are the role plus scopes', async () => {
  const { key, lookup } = setup({ role: 'viewer', scopes: ['memory:write'] });
  const r = await verifyKey(lookup, hmacKey, key, { now: NOW });
  assert.deepEqual(r.key?.permissions, ['*:read', 'memory:write']);
  assert.deepEqual(r.key?.scopes, ['memory:write']);
  assert.equal(r.key?.role, 'viewer');
});

test('cache: a hit skips the store; last-used updates the cached record; random guesses are not cached', async () => {
  const { key, lookup } = setup({});
  let lookups = 0;
  const counting: ApiKeyLookup = {
    findByHmac: (h) => {
      lookups++;
      return lookup.findByHmac(h);
    },
    touchLastUsed: (id, at) => lookup.touchLastUsed(id, at),
  };
  const cache = new Map();
  assert.equal((await verifyKey(counting, hmacKey, key, { now: NOW }, cache)).code, 'VALID');
  assert.equal((await verifyKey(counting, hmacKey, key, { now: NOW + 1 }, cache)).code, 'VALID');
  assert.equal(lookups, 1);
  assert.deepEqual(lookup.touched, [['key_test', NOW]], 'the cached record remembers the write');
  assert.equal((await verifyKey(counting, hmacKey, key, { now: NOW + LAST_USED_RESOLUTION_MS }, cache)).code, 'VALID');
  assert.equal(lookup.touched.length, 2);
  for (let i = 0; i < 3; i++) await verifyKey(counting, hmacKey, generateApiKey('ask', (n) => randomBytes(n)), { now: NOW }, cache);
  assert.equal(cache.size, 1);
  // Decisions on a cached record still use the current time and request.
  assert.equal((await verifyKey(counting, hmacKey, key, { now: NOW, scopes: ['agent:control'] }, cache)).code, 'INSUFFICIENT_SCOPE');
});
