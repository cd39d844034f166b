/**
 * What only the SQLite implementation of the blocks repository promises: the statements it runs per lookup, per
 * counted failure and per page of an export are index searches, never a scan of a table that holds 100,000 blocks
 * or millions of failures.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openDb } from '../../src/store/db.js';
import { ROOT, tempDir } from '../support/cli.js';

const ACTIVE = '(expires_at IS NULL OR expires_at > @now)';

// The statements of src/store/sqlite/blocks.ts that run on hot paths, with the index each must use.
const PLANS: ReadonlyArray<readonly [string, string, RegExp]> = [
  ['covering an address', `SELECT * FROM blocks WHERE range_start = @key AND scope = 'ip' AND ${ACTIVE}`, /SEARCH blocks USING INDEX blocks_start \(range_start=\?\)/],
  ['covering by a range', `SELECT * FROM blocks WHERE scope = 'range' AND range_start <= @key AND range_end >= @key AND ${ACTIVE} ORDER BY range_start DESC LIMIT 1`, /SEARCH blocks USING INDEX blocks_ranges/],
  ['a page of the active stream', `SELECT * FROM blocks WHERE ${ACTIVE} AND (range_start, value) > (@start, @value) ORDER BY range_start, value LIMIT @limit`, /SEARCH blocks USING INDEX blocks_start \(range_start>\?\)/],
  ['counting failures', 'SELECT count(*) FROM block_failures WHERE subject = @key AND at >= @now AND at <= @now', /SEARCH block_failures USING COVERING INDEX block_failures_subject/],
  ['prior blocks', "SELECT count(*) FROM block_events WHERE value = @key AND action = 'block'", /SEARCH block_events USING COVERING INDEX block_events_value/],
  ['the last unblock', "SELECT max(at) FROM block_events WHERE value = @key AND action = 'unblock'", /SEARCH block_events USING COVERING INDEX block_events_value/],
  ['events after an id', 'SELECT * FROM block_events WHERE id > @now ORDER BY id LIMIT @limit', /SEARCH block_events USING INTEGER PRIMARY KEY/],
];

test('sqlite blocks: lookups, failure counts, history reads and export pages are index searches', async () => {
  const t = tempDir();
  try {
    const db = await openDb(join(t.dir, 'a.db'));
    try {
      const source = readFileSync(join(ROOT, 'src', 'store', 'sqlite', 'blocks.ts'), 'utf8');
      for (const [what, sql, index] of PLANS) {
        // The statement checked is the one the repository runs (bar its parameter names), not a copy that drifted.
        const shape = (s: string) => s.replace(/\$\{ACTIVE\}/g, ACTIVE).replace(/@\w+|\?/g, '?').replace(/\s+/g, ' ');
        assert.ok(shape(source).includes(shape(sql).replace(/ LIMIT \?$/, '')), `${what}: not found in sqlite/blocks.ts`);
        const params = Object.fromEntries(['key', 'now', 'start', 'value', 'limit'].filter((p) => sql.includes(`@${p}`)).map((p) => [p, p === 'now' || p === 'limit' ? 1 : 'x']));
        const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as Array<{ detail: string }>).map((r) => r.detail);
        assert.ok(plan.some((d) => index.test(d)), `${what}: ${plan.join('; ')}`);
        assert.ok(!plan.some((d) => /^SCAN (blocks|block_events|block_failures)\b/.test(d)), `${what} scans a table: ${plan.join('; ')}`);
      }
    } finally {
      db.close();
    }
  } finally {
    t.cleanup();
  }
});
