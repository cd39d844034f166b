import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { openDb, latestVersion } from '../../src/store/db.js';
import { ApiKeysRepo } from '../../src/store/sqlite/api-keys.js';
import type { ApiKeyRecord } from '../../src/core/apikeys/record.js';
import { tempDir } from '../support/cli.js';

function rec(id: string, over: Partial<ApiKeyRecord> = {}): ApiKeyRecord {
  return {
    id, name: 'n', prefix: 'ask', last4: 'abcd', role: null, scopes: ['a:b'], allowIps: ['10.0.0.0/8'], meta: { k: 'v' },
    createdAt: 1000, expiresAt: null, revokedAt: null, revokeReason: null, lastUsedAt: null, rotatedFrom: null, rotatedTo: null, ...over,
  };
}

test('migration 3 creates api_keys with a unique HMAC index; records round-trip', async () => {
  const t = tempDir();
  try {
    const db = await openDb(join(t.dir, 'a.db'));
    try {
      assert.ok(latestVersion() >= 3);
      const idx = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'api_keys'").all() as Array<{ name: string; sql: string }>;
      assert.ok(idx.some((i) => i.name === 'api_keys_key_hmac' && /UNIQUE/.test(i.sql)));
      const plan = db.prepare("EXPLAIN QUERY PLAN SELECT * FROM api_keys WHERE key_hmac = ?").all(Buffer.alloc(32)) as Array<{ detail: string }>;
      assert.ok(plan.some((p) => /USING INDEX api_keys_key_hmac/.test(p.detail)), 'lookup by HMAC uses the index');
      const repo = new ApiKeysRepo(db);
      const h = randomBytes(32);
      repo.insert(rec('key_a'), h);
      assert.deepEqual(repo.findByHmac(h)?.record, rec('key_a'));
      assert.deepEqual(repo.findByHmac(h)?.hmac, h);
      assert.equal(repo.findByHmac(randomBytes(32)), undefined);
      assert.throws(() => repo.insert(rec('key_b'), h), /UNIQUE/);
      repo.touchLastUsed('key_a', 5000);
      repo.touchLastUsed('key_a', 4000); // never moves backwards
      assert.equal(repo.get('key_a')?.lastUsedAt, 5000);
      assert.equal(repo.revoke('key_a', 6000, 'r'), true);
      assert.equal(repo.revoke('key_a', 7000, 'again'), false);
      assert.equal(repo.get('key_a')?.revokedAt, 6000);
      assert.equal(repo.get('key_a')?.revokeReason, 'r');
      repo.insert(rec('key_c', { expiresAt: 2000, createdAt: 1500 }), randomBytes(32));
      repo.insert(rec('key_d', { createdAt: 1600 }), randomBytes(32));
      assert.deepEqual(repo.list({ all: false, now: 1999 }).map((r) => r.id), ['key_c', 'key_d']);
      assert.deepEqual(repo.list({ all: false, now: 2000 }).map((r) => r.id), ['key_d']);
      assert.deepEqual(repo.list({ all: true, now: 2000 }).map((r) => r.id), ['key_a', 'key_c', 'key_d']);
    } finally {
      db.close();
    }
  } finally {
    t.cleanup();
  }
});
