import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { openDb } from '../../src/store/db.js';
import { tempDir } from '../support/cli.js';

// SQLite only: the lookups of every verification, refresh and purge use indexes.
test('sqlite jwt: the denylist lookup, the subject mark, the ledger by jti and family, and the purge use indexes', async () => {
  const t = tempDir();
  try {
    const db = await openDb(join(t.dir, 'a.db'));
    try {
      const plan = (sql: string, ...args: unknown[]) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as Array<{ detail: string }>).map((p) => p.detail).join('; ');
      const denied = plan("SELECT 1 AS n FROM jwt_revocations WHERE (kind = 'jti' AND value = ?) OR (kind = 'sub' AND value = ? AND revoked_at >= ?) LIMIT 1", 'j', 's', 0);
      assert.match(denied, /USING INDEX sqlite_autoindex_jwt_revocations/);
      assert.doesNotMatch(denied, /SCAN jwt_revocations\b(?! USING)/, 'never a full scan of the denylist');
      assert.match(plan("SELECT revoked_at AS m FROM jwt_revocations WHERE kind = 'sub' AND value = ?", 's'), /USING INDEX sqlite_autoindex_jwt_revocations/);
      assert.match(plan('SELECT * FROM jwt_tokens WHERE jti = ?', 'j'), /USING INDEX sqlite_autoindex_jwt_tokens/);
      assert.match(plan('SELECT * FROM jwt_tokens WHERE family = ?', 'f'), /USING INDEX jwt_tokens_by_family/);
      assert.match(plan('DELETE FROM jwt_tokens WHERE expires_at < ?', 0), /USING (COVERING )?INDEX jwt_tokens_by_expiry/);
    } finally {
      db.close();
    }
  } finally {
    t.cleanup();
  }
});
