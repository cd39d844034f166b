import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { openDb } from '../../src/store/db.js';
import { TotpRepo } from '../../src/store/sqlite/totp.js';
import { tempDir } from '../support/cli.js';

// SQLite only: the lookups a verification makes under the write lock use indexes, and deleting a user cascades.
test('sqlite totp: user by name, failures by user and time, and backup codes by user use indexes; delete cascades', async () => {
  const t = tempDir();
  try {
    const db = await openDb(join(t.dir, 'a.db'));
    try {
      const plan = (sql: string, ...args: unknown[]) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as Array<{ detail: string }>).map((p) => p.detail).join('; ');
      assert.match(plan('SELECT * FROM totp_users WHERE name = ?', 'a'), /USING INDEX sqlite_autoindex_totp_users/);
      assert.match(plan('SELECT at FROM totp_failures WHERE user_id = ? AND at > ?', 'u', 0), /USING (COVERING )?INDEX totp_failures_user_at/);
      assert.match(plan('DELETE FROM totp_failures WHERE user_id = ? AND at <= ?', 'u', 0), /USING (COVERING )?INDEX totp_failures_user_at/);
      assert.match(plan('SELECT idx, code_hash FROM totp_backup_codes WHERE user_id = ? AND used_at IS NULL ORDER BY idx', 'u'), /USING INDEX sqlite_autoindex_totp_backup_codes/);
      const repo = new TotpRepo(db);
      repo.insert({ id: 'totp_a', name: 'alice', issuer: 'i', algorithm: 'SHA1', digits: 6, period: 30, seedSealed: Buffer.alloc(40), createdAt: 1 });
      repo.replaceBackupCodes('totp_a', ['h0', 'h1']);
      repo.recordFailure('totp_a', 2, null, 'invalid');
      assert.equal(repo.delete('totp_a'), true);
      const left = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
      assert.deepEqual([left('totp_backup_codes'), left('totp_failures')], [0, 0]);
    } finally {
      db.close();
    }
  } finally {
    t.cleanup();
  }
});
