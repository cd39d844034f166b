/**
 * `agentsec serve` on a PostgreSQL home when the database goes away: auth fails closed (503, never 200, also for a
 * key it had already verified and cached), and it recovers by itself once the database is back, with no restart.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { runCli } from '../support/cli.js';
import { fleetHomes } from '../support/fleet.js';
import { pgUnavailable, startPostgres, type PgServer } from '../support/postgres.js';
import { httpGet, startServe } from '../support/serve.js';

const missing = pgUnavailable();

async function until<T>(what: string, probe: () => Promise<T>, ok: (v: T) => boolean, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: T = await probe();
  while (!ok(last)) {
    if (Date.now() > deadline) assert.fail(`${what}: still ${JSON.stringify(last)} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
    last = await probe();
  }
  return last;
}

if (missing) {
  test('serve on PostgreSQL: outage', (t) => t.skip(missing));
} else {
  describe('serve on a PostgreSQL home while the database is down', () => {
    const homes = fleetHomes();
    let pg: PgServer;
    let home: string;
    before(() => {
      pg = startPostgres();
      home = homes.home('serve-outage', pg.url(pg.createDatabase('outage')));
    });
    after(() => {
      pg?.stop();
      homes.cleanup();
    });

    test('auth answers 503 while PostgreSQL is down, never 200, and 200 again once it is back', async () => {
      const issued = runCli(['--home', home, '--json', 'keys', 'issue', '--name', 'agent', '--role', 'viewer']);
      assert.equal(issued.code, 0, issued.stderr);
      const key = (JSON.parse(issued.stdout) as { key: string }).key;
      const s = await startServe(['--home', home, 'serve', '--listen', '127.0.0.1:0']);
      try {
        const auth = () => httpGet(s.url, '/auth', { 'X-Original-URI': '/v1/memories', 'X-Original-Method': 'GET', 'X-API-Key': key }).then((r) => r.status);
        assert.equal(await auth(), 200);
        pg.kill();
        // Within a few seconds every answer is 503; in the meantime nothing but 200 (cached) or 503 may be seen.
        const seen = new Set<number>();
        await until('auth with the database down', async () => {
          const st = await auth();
          seen.add(st);
          return st;
        }, (st) => st === 503);
        for (let i = 0; i < 5; i++) assert.equal(await auth(), 503, 'stays closed while the database is down');
        assert.ok([...seen].every((st) => st === 200 || st === 503), `only 200 or 503 while failing over: ${[...seen]}`);
        const health = await httpGet(s.url, '/healthz');
        assert.equal(health.status, 503, health.body);
        pg.start();
        await until('auth after the database came back', auth, (st) => st === 200, 30_000);
        assert.equal(s.child.exitCode, null, 'the server stayed up');
        assert.doesNotMatch(s.stderr(), new RegExp(key.slice(4, 20)), 'the key is in no log line');
      } finally {
        await s.stop();
      }
    });
  });
}
