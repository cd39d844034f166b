/**
 * The audit chains of a fleet in one PostgreSQL database: each host its own chain signed by its own epoch keys;
 * `audit verify --origin` and `--all` check each against the key pinned for it; a host cannot rewrite or take over
 * another host's chain undetected.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli, tempDir } from '../support/cli.js';
import { fleetHomes } from '../support/fleet.js';
import { pgUnavailable, startPostgres, type PgServer } from '../support/postgres.js';

const missing = pgUnavailable();

interface FleetReport {
  verdict: string;
  origins: Array<{ origin: string; verdict: string; entries: number; problems: Array<{ kind: string }> }>;
}

if (missing) {
  test('fleet audit chains on PostgreSQL', (t) => t.skip(missing));
} else {
  describe('audit chains of two hosts in one PostgreSQL database', () => {
    const homes = fleetHomes();
    const tmp = tempDir('agentsec-fleet-pins-');
    let pg: PgServer;
    let db: string;
    let a: string;
    let b: string;
    let pins: string;

    const verify = (h: string, args: string[]) => {
      const r = runCli(['--home', h, '--json', 'audit', 'verify', ...args]);
      return { code: r.code, doc: (r.stdout ? JSON.parse(r.stdout) : null) as FleetReport | null, stderr: r.stderr };
    };

    before(() => {
      pg = startPostgres();
      db = pg.createDatabase('fleetaudit');
      a = homes.home('host-a', pg.url(db));
      b = homes.home('host-b', pg.url(db));
      for (const [h, n] of [
        [a, 3],
        [b, 2],
      ] as const) {
        for (let i = 0; i < n; i++) assert.equal(runCli(['--home', h, 'audit', 'append', '--type', 'app.deploy', '--data', `{"n":${i}}`]).code, 0);
        assert.equal(runCli(['--home', h, 'audit', 'seal', '--force']).code, 0);
      }
      pins = join(tmp.dir, 'fleet.pub');
      writeFileSync(pins, `# origin key, one line per host (and per rekey)\nhost-a ${homes.pubkey(a)}\nhost-b ${homes.pubkey(b)}\n`);
    });
    after(() => {
      pg?.stop();
      homes.cleanup();
      tmp.cleanup();
    });

    test('verify --all checks every origin against its own pinned key; --origin one of them, from any host', () => {
      const all = verify(b, ['--all', '--pubkey-file', pins]);
      assert.equal(all.code, 0, all.stderr);
      assert.equal(all.doc?.verdict, 'verified');
      assert.deepEqual(all.doc?.origins.map((o) => [o.origin, o.verdict, o.entries]), [
        ['host-a', 'verified', 4],
        ['host-b', 'verified', 3],
      ]);
      const one = verify(b, ['--origin', 'host-a', '--pubkey-file', pins]);
      assert.equal(one.code, 0, one.stderr);
      assert.deepEqual(one.doc?.origins.map((o) => o.origin), ['host-a']);
      // The wrong host's key does not verify a chain.
      const wrong = verify(a, ['--origin', 'host-a', '--pubkey', homes.pubkey(b)]);
      assert.equal(wrong.code, 1);
    });

    test("a chain the key file does not pin fails --all: a host nobody vouched for", () => {
      const c = homes.home('host-x', pg.url(db));
      const r = verify(c, ['--all', '--pubkey-file', pins]);
      assert.equal(r.code, 1);
      assert.deepEqual(r.doc?.origins.find((o) => o.origin === 'host-x')?.verdict, 'unpinned');
    });

    test("another host rewriting a sealed entry of host-a is detected; host-b's chain still verifies", () => {
      // What a host with full rights on the database could do (the append-only triggers dropped first).
      pg.psql(db, "ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_append_only; UPDATE audit_entries SET canon = replace(canon, '\"n\":1', '\"n\":7') WHERE origin = 'host-a' AND seq = 2; ALTER TABLE audit_entries ENABLE TRIGGER audit_entries_append_only");
      const r = verify(b, ['--all', '--pubkey-file', pins]);
      assert.equal(r.code, 1);
      const byOrigin = Object.fromEntries((r.doc?.origins ?? []).map((o) => [o.origin, o]));
      assert.equal(byOrigin['host-a']?.verdict, 'tampered');
      assert.ok(byOrigin['host-a']?.problems.some((p) => p.kind === 'modified'), JSON.stringify(byOrigin['host-a']?.problems));
      assert.equal(byOrigin['host-b']?.verdict, 'verified');
    });

    test("host-b replacing host-a's chain with a copy of its own (signed by its own keys) is detected", () => {
      pg.psql(
        db,
        `ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_append_only; ALTER TABLE audit_checkpoints DISABLE TRIGGER audit_checkpoints_append_only;
         DELETE FROM audit_entries WHERE origin = 'host-a'; DELETE FROM audit_checkpoints WHERE origin = 'host-a';
         INSERT INTO audit_entries SELECT 'host-a', seq, hash, canon, ts, type, actor FROM audit_entries WHERE origin = 'host-b';
         INSERT INTO audit_checkpoints SELECT 'host-a', epoch, size, head, time, note FROM audit_checkpoints WHERE origin = 'host-b';
         ALTER TABLE audit_entries ENABLE TRIGGER audit_entries_append_only; ALTER TABLE audit_checkpoints ENABLE TRIGGER audit_checkpoints_append_only`,
      );
      const r = verify(b, ['--origin', 'host-a', '--pubkey-file', pins]);
      assert.equal(r.code, 1);
      const kinds = r.doc?.origins[0]?.problems.map((p) => p.kind) ?? [];
      assert.ok(kinds.includes('wrong-origin'), kinds.join(','));
    });

    test('the append-only triggers refuse an UPDATE of the chain on PostgreSQL too', () => {
      assert.throws(() => pg.psql(db, "UPDATE audit_entries SET canon = '' WHERE origin = 'host-b'"), /append-only/);
      assert.throws(() => pg.psql(db, 'TRUNCATE audit_checkpoints'), /append-only/);
    });
  });
}
