/**
 * `store migrate --to postgres://…` on a real server: a SQLite home with every area's data is copied, the copy is
 * verified, a second run copies nothing, a run cut short is finished by the next, and the home then works on
 * PostgreSQL with the same keys, tokens, codes, blocks, bouncer keys and audit chain; `agentsec serve` on it answers
 * the decision API.
 */
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import jsonwebtoken from 'jsonwebtoken';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { base32Decode } from '../commands/totp/helpers.js';
import { totpCode } from '../../src/core/totp/otp.js';
import { runCli, tempDir } from '../support/cli.js';
import { pgUnavailable, startPostgres, type PgServer } from '../support/postgres.js';
import { httpGet, startServe } from '../support/serve.js';

const missing = pgUnavailable();

/** One value from the SQLite store of `home`, read with node's driver (as the CLI does). */
function sqliteValue(home: string, sql: string): string {
  const db = new Database(join(home, 'agentsec.db'), { readonly: true, fileMustExist: true });
  try {
    return String(db.prepare(sql).pluck().get() ?? '');
  } finally {
    db.close();
  }
}

interface Migrated {
  ok: boolean;
  origin: string;
  auditVerify: string;
  tables: Array<{ table: string; source: number; copied: number; destination: number }>;
}

if (missing) {
  test('store migrate to PostgreSQL', (t) => t.skip(missing));
} else {
  describe('store migrate --to postgres://', () => {
    const tmp = tempDir('agentsec-migrate-');
    let pg: PgServer;
    let db: string;
    const home = join(tmp.dir, 'h');
    const cli = (args: string[], input?: string) => runCli(['--home', home, ...args], input === undefined ? {} : { input });
    let apiKey: string;
    let token: string;
    let secret: string;
    let pubkey: string;
    let bouncerKey: string;
    // An external HS256 server's secret (jwt keygen --external): its key must arrive still tagged with its issuer.
    const SERVER_SECRET = 'migrate-external-hs256-server-secret-0123456789abcdef';
    const serverToken = () => jsonwebtoken.sign({ sub: 'user-9' }, SERVER_SECRET, { algorithm: 'HS256', expiresIn: '10m', issuer: 'agentmem', audience: 'memory-api' });

    before(async () => {
      pg = startPostgres();
      db = pg.createDatabase('migrate');
      mkdirSync(home, { mode: 0o700 });
      writeFileSync(join(home, 'config.yaml'), 'audit:\n  origin: migrated-host\n', { mode: 0o600 });
      assert.equal(cli(['init', '--quiet']).code, 0);
      pubkey = cli(['init', '--quiet']).stdout.trim();
      apiKey = (JSON.parse(cli(['--json', 'keys', 'issue', '--name', 'm']).stdout) as { key: string }).key;
      assert.equal(cli(['jwt', 'keygen', '--alg', 'ES256']).code, 0);
      token = (JSON.parse(cli(['--json', 'jwt', 'issue', '--sub', 'alice', '--refresh']).stdout) as { accessToken: string }).accessToken;
      writeFileSync(join(tmp.dir, 'server.secret'), SERVER_SECRET, { mode: 0o600 });
      const ext = cli(['jwt', 'keygen', '--alg', 'HS256', '--secret-file', join(tmp.dir, 'server.secret'), '--external', 'agentmem', '--issuer', 'agentmem', '--audience', 'memory-api']);
      assert.equal(ext.code, 0, ext.stderr);
      secret = (JSON.parse(cli(['--json', 'totp', 'enroll', 'bob', '--algorithm', 'SHA256', '--digits', '8']).stdout) as { secret: string }).secret;
      const now = Math.floor(Date.now() / 1000);
      assert.equal(cli(['totp', 'confirm', 'bob'], totpCode(base32Decode(secret), { algorithm: 'SHA256', digits: 8, period: 30 }, now * 1000)).code, 0);
      assert.equal(cli(['blocks', 'add', '203.0.113.50', '--for', '1h']).code, 0);
      assert.equal(cli(['blocks', 'add', '198.51.100.0/24', '--permanent']).code, 0);
      const added = cli(['--json', 'serve', 'bouncer', 'add', 'edge']);
      assert.equal(added.code, 0, added.stderr);
      bouncerKey = (JSON.parse(added.stdout) as { key: string }).key;
      // A stream pull on SQLite leaves the bouncer a pull state naming a SQLite block_events id.
      const s = await startServe(['--home', home, 'serve', '--listen', '127.0.0.1:0']);
      try {
        assert.equal((await httpGet(s.url, '/v1/decisions/stream?startup=true', { 'X-Api-Key': bouncerKey })).status, 200);
      } finally {
        await s.stop();
      }
      assert.notEqual(sqliteValue(home, 'SELECT last_event_id FROM serve_credentials'), '');
      for (let i = 0; i < 3; i++) assert.equal(cli(['audit', 'append', '--type', 'app.migrate', '--data', `{"i":${i}}`]).code, 0);
      assert.equal(cli(['audit', 'seal', '--force']).code, 0);
    });
    after(() => {
      pg?.stop();
      tmp.cleanup();
    });

    test('copies every table, verifies the copy, and a second run copies nothing', () => {
      const first = cli(['--json', 'store', 'migrate', '--to', pg.url(db)]);
      assert.equal(first.code, 0, first.stderr);
      const doc = JSON.parse(first.stdout) as Migrated;
      assert.equal(doc.ok, true);
      assert.equal(doc.origin, 'migrated-host');
      assert.equal(doc.auditVerify, 'verified');
      for (const t of doc.tables) assert.equal(t.destination, t.source, t.table);
      assert.ok(doc.tables.every((t) => t.copied === t.source));
      assert.ok((doc.tables.find((t) => t.table === 'audit_entries')?.source ?? 0) >= 4);
      assert.equal(doc.tables.find((t) => t.table === 'serve_credentials')?.copied, 1);
      // The external issuer and its key's tag: without issuer_name the server's secret would become one of
      // agentsec's own signing keys. Its secret arrives sealed, never in clear.
      assert.equal(pg.psql(db, 'SELECT name, kind, issuer, audience FROM jwt_issuers').trim(), 'agentmem|secret|agentmem|["memory-api"]');
      assert.equal(pg.psql(db, "SELECT alg, issuer_name FROM jwt_keys WHERE issuer_name IS NOT NULL").trim(), 'HS256|agentmem');
      const keysDump = pg.psql(db, "SELECT row_to_json(k)::text || encode(private_sealed, 'escape') FROM jwt_keys k");
      assert.ok(!keysDump.includes(SERVER_SECRET) && !keysDump.includes(Buffer.from(SERVER_SECRET).toString('hex')), 'the external secret is not in the database in clear');
      // The bouncer key reaches the database as its HMAC only; its pull state, which names an event id of the
      // SQLite file, is not carried over (the copy renumbers the history).
      const row = pg.psql(db, "SELECT name, length(secret_hmac), last_pull_at IS NULL, last_event_id IS NULL FROM serve_credentials WHERE kind = 'bouncer'").trim();
      assert.equal(row, 'edge|32|t|t');
      const whole = pg.psql(db, "SELECT row_to_json(c)::text || encode(secret_hmac, 'escape') FROM serve_credentials c");
      assert.ok(!whole.includes(bouncerKey) && !whole.includes(bouncerKey.slice(-12)), 'the bouncer key is not in the database in clear');
      const again = JSON.parse(cli(['--json', 'store', 'migrate', '--to', pg.url(db)]).stdout) as Migrated;
      assert.deepEqual(again.tables.map((t) => t.copied), again.tables.map(() => 0));
      assert.equal(again.ok, true);
    });

    test('a run cut short is finished by the next: only the missing rows are copied', () => {
      // What an interrupted run leaves: some batches committed, the rest not.
      pg.psql(db, "DELETE FROM block_events WHERE value = '198.51.100.0/24'; DELETE FROM totp_backup_codes WHERE idx >= 5; DELETE FROM jwt_tokens");
      const r = JSON.parse(cli(['--json', 'store', 'migrate', '--to', pg.url(db)]).stdout) as Migrated;
      const copied = Object.fromEntries(r.tables.map((t) => [t.table, t.copied]));
      assert.equal(copied['block_events'], 1);
      assert.equal(copied['totp_backup_codes'], 5);
      assert.equal(copied['jwt_tokens'], 2);
      assert.equal(copied['audit_entries'], 0);
      assert.equal(r.ok, true);
    });

    test('the home then works on PostgreSQL: the same key, token, TOTP user, blocks and audit chain', () => {
      writeFileSync(join(home, 'config.yaml'), `store: ${JSON.stringify(pg.url(db))}\naudit:\n  origin: migrated-host\n`, { mode: 0o600 });
      assert.equal(JSON.parse(cli(['--json', 'store', 'status']).stdout).backend, 'postgres');
      const key = cli(['keys', 'verify'], apiKey);
      assert.equal(key.code, 0, key.stderr);
      assert.equal(cli(['jwt', 'verify'], token).code, 0);
      const ext = cli(['--json', 'jwt', 'verify'], serverToken());
      assert.equal(ext.code, 0, ext.stdout + ext.stderr);
      assert.match(cli(['totp', 'list']).stdout, /^bob\tactive/m);
      assert.equal(cli(['blocks', 'check', '198.51.100.9']).code, 1);
      assert.equal(cli(['blocks', 'check', '203.0.113.50']).code, 1);
      assert.equal(cli(['blocks', 'check', '192.0.2.1']).code, 0);
      const v = cli(['--json', 'audit', 'verify', '--pubkey', pubkey]);
      assert.equal(v.code, 0, v.stderr);
      assert.equal((JSON.parse(v.stdout) as { verdict: string }).verdict, 'verified');
      // And it keeps appending to the same chain.
      assert.equal(cli(['audit', 'append', '--type', 'app.after']).code, 0);
      assert.equal(cli(['audit', 'verify', '--pubkey', pubkey]).code, 0);
    });

    test('agentsec serve on the PostgreSQL home answers a bouncer key on the decision API', async () => {
      const s = await startServe(['--home', home, 'serve', '--listen', '127.0.0.1:0']);
      try {
        const hit = await httpGet(s.url, '/v1/decisions?ip=203.0.113.50', { 'X-Api-Key': bouncerKey });
        assert.equal(hit.status, 200, hit.body);
        const decisions = JSON.parse(hit.body) as Array<{ id: number; value: string; scope: string; type: string }>;
        assert.deepEqual(decisions.map((d) => [d.value, d.scope, d.type]), [['203.0.113.50', 'Ip', 'ban']]);
        // The decision id is the newest block event of the value in this database.
        assert.equal(String(decisions[0]?.id), pg.psql(db, "SELECT max(id) FROM block_events WHERE value = '203.0.113.50' AND action = 'block'").trim());
        const inRange = JSON.parse((await httpGet(s.url, '/v1/decisions?ip=198.51.100.9', { 'X-Api-Key': bouncerKey })).body) as Array<{ value: string }>;
        assert.deepEqual(inRange.map((d) => d.value), ['198.51.100.0/24']);
        const miss = await httpGet(s.url, '/v1/decisions?ip=192.0.2.1', { 'X-Api-Key': bouncerKey });
        assert.equal(miss.status, 200);
        assert.equal(miss.body.trim(), 'null');
        assert.equal((await httpGet(s.url, '/v1/decisions?ip=203.0.113.50', { 'X-Api-Key': 'not-a-key' })).status, 403);
        // Its first stream pull here is answered in full (the pull state was not carried over), then stored here.
        const stream = JSON.parse((await httpGet(s.url, '/v1/decisions/stream', { 'X-Api-Key': bouncerKey })).body) as { new: Array<{ value: string }> | null };
        assert.deepEqual((stream.new ?? []).map((d) => d.value).sort(), ['198.51.100.0/24', '203.0.113.50']);
        assert.equal(pg.psql(db, "SELECT last_event_id = (SELECT max(id) FROM block_events) FROM serve_credentials WHERE name = 'edge'").trim(), 't');
      } finally {
        await s.stop();
      }
      assert.ok(!s.stderr().includes(bouncerKey), 'the bouncer key is in no log line');
    });

    test('a password in --to is refused before anything is read or written', () => {
      const r = cli(['store', 'migrate', '--to', 'postgres://u:topsecret@db.example.com/x']);
      assert.equal(r.code, 2);
      assert.ok(!r.stderr.includes('topsecret'));
    });
  });
}
