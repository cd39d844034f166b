/**
 * The cross-process guarantees of the SQLite store, on two hosts (homes) sharing one PostgreSQL database, with
 * several processes on each: one block per offender, no lost failure, escalation counted once, one VALID per TOTP
 * code, one winner per refresh token.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { base32Decode } from '../commands/totp/helpers.js';
import { totpCode } from '../../src/core/totp/otp.js';
import { runCli, runCliAsync } from '../support/cli.js';
import { fleetHomes } from '../support/fleet.js';
import { pgUnavailable, startPostgres, type PgServer } from '../support/postgres.js';

const missing = pgUnavailable();

function worker(home: string, rounds: number, ips: readonly string[]): Promise<Record<string, number>> {
  const path = fileURLToPath(new URL('../support/blocks-worker.js', import.meta.url));
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, [path, home, String(rounds), ...ips], { env: { PATH: process.env['PATH'] ?? '' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (err += d));
    child.on('close', (code) => (code === 0 ? res(JSON.parse(out) as Record<string, number>) : rej(new Error(`worker exited ${code}: ${err}`))));
  });
}

if (missing) {
  test('fleet concurrency on PostgreSQL', (t) => t.skip(missing));
} else {
  describe('several processes on two hosts sharing one PostgreSQL database', () => {
    const homes = fleetHomes();
    let pg: PgServer;
    let db: string;
    let a: string;
    let b: string;

    before(() => {
      pg = startPostgres();
      db = pg.createDatabase('fleetrace');
      const url = pg.url(db);
      a = homes.home('race-a', url);
      // TOTP seeds and JWT private keys are sealed under the master key: hosts that verify each other's codes and
      // refresh each other's tokens share it.
      b = homes.home('race-b', url, { masterKeyFrom: a });
    });
    after(() => {
      pg?.stop();
      homes.cleanup();
    });

    test('8 processes (4 per host) recording failures for overlapping IPs lose none and create each block once', async () => {
      const ips = ['198.51.100.1', '198.51.100.2', '198.51.100.3', '2001:db8:c::1', '2001:db8:c::2', '::ffff:198.51.100.6'];
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => worker(i % 2 === 0 ? a : b, 3, ips)));
      const total = (k: string) => results.reduce((s, r) => s + (r[k] ?? 0), 0);
      assert.equal(total('blocked'), ips.length);
      assert.equal(total('counted'), ips.length * 4);
      assert.equal(total('already-blocked'), ips.length * 19);
      const events = pg.psql(db, "SELECT count(*) FROM block_events WHERE action = 'block' GROUP BY value ORDER BY value").trim().split('\n');
      assert.deepEqual(events, ['1', '1', '1', '1', '1', '1']);
      assert.equal(pg.psql(db, 'SELECT count(*) FROM block_failures').trim(), String(ips.length * 5), 'every failure before the block is stored');
    });

    test('a repeat offender blocked again by 8 processes on two hosts: the escalation is counted once', async () => {
      const ip = '192.0.2.77';
      assert.equal(runCli(['--home', a, 'blocks', 'add', ip, '--for', '1s']).code, 0);
      await new Promise((r) => setTimeout(r, 1200));
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => worker(i % 2 === 0 ? a : b, 1, [ip])));
      assert.equal(results.reduce((s, r) => s + (r['blocked'] ?? 0), 0), 1);
      assert.equal(pg.psql(db, `SELECT count(*) FROM block_events WHERE action = 'block' AND value = '${ip}'`).trim(), '2');
      assert.equal(pg.psql(db, `SELECT block_count FROM blocks WHERE value = '${ip}'`).trim(), '2');
    });

    test('6 processes on two hosts verifying the same TOTP code: exactly one is VALID', async () => {
      const doc = JSON.parse(runCli(['--home', a, '--json', 'totp', 'enroll', 'race', '--algorithm', 'SHA256', '--digits', '8']).stdout) as { secret: string };
      const code = (at: number) => totpCode(base32Decode(doc.secret), { algorithm: 'SHA256', digits: 8, period: 30 }, at * 1000);
      const now = Math.floor(Date.now() / 1000);
      assert.equal(runCli(['--home', b, 'totp', 'confirm', 'race'], { input: code(now) }).code, 0);
      const next = code(now + 30);
      const results = await Promise.all(Array.from({ length: 6 }, (_, i) => runCliAsync(['--home', i % 2 === 0 ? a : b, 'totp', 'verify', 'race'], { input: next })));
      assert.deepEqual(results.map((r) => r.stdout.trim()).sort(), ['REPLAYED', 'REPLAYED', 'REPLAYED', 'REPLAYED', 'REPLAYED', 'VALID'], results.map((r) => r.stderr).join('\n'));
    });

    test('one refresh token used at once on two hosts: exactly one wins, the other is reuse', async () => {
      assert.equal(runCli(['--home', a, 'jwt', 'keygen']).code, 0);
      const refresh = runCli(['--home', a, 'jwt', 'issue', '--sub', 'r', '--refresh']).stdout.trim().split('\n')[1] as string;
      const results = await Promise.all([a, b, a, b].map((h) => runCliAsync(['--home', h, 'jwt', 'refresh'], { input: refresh })));
      assert.deepEqual(results.map((r) => r.code).sort(), [0, 1, 1, 1], results.map((r) => r.stderr).join(' | '));
      // The first loser detects the reuse and revokes the family; a later one may find it revoked already.
      const losers = results.filter((r) => r.code === 1).map((r) => r.stdout.trim());
      assert.ok(losers.includes('reused'), losers.join(','));
      for (const l of losers) assert.ok(l === 'reused' || l === 'revoked', l);
    });
  });
}
