/**
 * PostgreSQL stopped (immediate: a crash as far as clients can tell) in the middle of a burst of recordFailure and
 * appendAudit calls from two hosts, then started again: every call either failed loudly (a one-line AgentsecError)
 * or committed; nothing committed is lost, no offender is blocked twice, the audit chains verify, and the calls
 * succeed again once the server is back, without a restart of the callers.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { runCli } from '../support/cli.js';
import { fleetHomes } from '../support/fleet.js';
import { pgUnavailable, startPostgres, type PgServer } from '../support/postgres.js';

const missing = pgUnavailable();

interface Line {
  op: 'failure' | 'audit';
  ok: boolean;
  ip?: string;
  outcome?: string;
  seq?: number;
  i?: number;
  name?: string;
  oneLine?: boolean;
  message?: string;
}

function worker(home: string, ms: number, ips: readonly string[]): Promise<Line[]> {
  const path = fileURLToPath(new URL('../support/fault-worker.js', import.meta.url));
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, [path, home, String(ms), ...ips], { env: { PATH: process.env['PATH'] ?? '' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (err += d));
    child.on('close', (code) => (code === 0 ? res(out.trim().split('\n').map((l) => JSON.parse(l) as Line)) : rej(new Error(`worker exited ${code}: ${err}`))));
  });
}

if (missing) {
  test('PostgreSQL fault test', (t) => t.skip(missing));
} else {
  describe('PostgreSQL stopped mid-burst and started again', () => {
    const homes = fleetHomes();
    let pg: PgServer;
    let db: string;
    let a: string;
    let b: string;

    before(() => {
      pg = startPostgres();
      db = pg.createDatabase('fault');
      a = homes.home('fault-a', pg.url(db));
      b = homes.home('fault-b', pg.url(db));
    });
    after(() => {
      pg?.stop();
      homes.cleanup();
    });

    test('each call failed loudly or committed; no committed failure lost, no duplicate block, the chains verify', async () => {
      const ips = Array.from({ length: 12 }, (_, i) => `198.18.0.${i + 1}`);
      const running = [worker(a, 7000, ips), worker(b, 7000, ips), worker(a, 7000, ips)];
      await new Promise((r) => setTimeout(r, 2000));
      pg.kill();
      await new Promise((r) => setTimeout(r, 1500));
      pg.start();
      const perWorker = await Promise.all(running);
      const lines = perWorker.flat();

      const failed = lines.filter((l) => !l.ok);
      assert.ok(failed.length > 0, 'some calls ran while the server was down');
      for (const f of failed) {
        assert.equal(f.name, 'AgentsecError', `${f.op}: ${f.name}: ${f.message}`);
        assert.equal(f.oneLine, true, f.message);
      }
      // Calls succeed again after the restart, in the same processes, with no restart of theirs.
      for (const w of perWorker) {
        const lastFailure = w.map((l) => l.ok).lastIndexOf(false);
        const okAfter = w.slice(lastFailure + 1).filter((l) => l.ok).length;
        assert.ok(okAfter >= 10, `only ${okAfter} calls succeeded after the last failure`);
      }

      // No duplicate block: each address blocked exactly once, however many hosts counted it.
      const blocks = pg.psql(db, "SELECT value, count(*) FROM block_events WHERE action = 'block' GROUP BY value ORDER BY value").trim().split('\n').filter(Boolean);
      for (const row of blocks) assert.equal(row.split('|')[1], '1', row);
      // No committed failure lost: every counted/blocking outcome left its row (a call that failed may have
      // committed too, when only its acknowledgement was lost).
      for (const ip of ips) {
        const counted = lines.filter((l) => l.op === 'failure' && l.ip === ip && l.ok && (l.outcome === 'counted' || l.outcome === 'blocked')).length;
        const maybe = lines.filter((l) => l.op === 'failure' && l.ip === ip && !l.ok).length;
        const stored = Number(pg.psql(db, `SELECT count(*) FROM block_failures WHERE ip = '${ip}'`).trim());
        assert.ok(stored >= counted && stored <= counted + maybe, `${ip}: ${stored} stored, ${counted} committed, ${maybe} failed`);
      }
      // Every acknowledged append is in its chain, where it said.
      for (const [h, origin] of [
        [a, 'fault-a'],
        [b, 'fault-b'],
      ] as const) {
        const v = runCli(['--home', h, '--json', 'audit', 'verify', '--pubkey', homes.pubkey(h)]);
        assert.equal(v.code, 0, v.stderr);
        const doc = JSON.parse(v.stdout) as { verdict: string; origin: string };
        assert.ok(doc.verdict === 'verified' || doc.verdict === 'incomplete', doc.verdict);
        assert.equal(doc.origin, origin);
      }
      const entries = Number(pg.psql(db, "SELECT count(*) FROM audit_entries WHERE type = 'app.fault'").trim());
      const ackedAppends = lines.filter((l) => l.op === 'audit' && l.ok).length;
      const failedAppends = lines.filter((l) => l.op === 'audit' && !l.ok).length;
      assert.ok(entries >= ackedAppends && entries <= ackedAppends + failedAppends, `${entries} entries, ${ackedAppends} acknowledged, ${failedAppends} failed`);
    });
  });
}
