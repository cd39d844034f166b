/**
 * A fleet on one real PostgreSQL server: homes (hosts) with their own master keys and origins, pointed at one
 * database by `store:` in config.yaml, driven through the built binary; the second host's caches are the library's.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import jsonwebtoken from 'jsonwebtoken';
import { closeAgentsec, isBlocked, verifyApiKey, verifyJwt } from '../../src/index.js';
import { runCli, tempDir } from '../support/cli.js';
import { fleetHomes } from '../support/fleet.js';
import { pgUnavailable, startPostgres, type PgServer } from '../support/postgres.js';

const missing = pgUnavailable();
const homes = fleetHomes();
/** The files an operator hands the CLI (a server's secret, an IdP's JWKS). */
const files = tempDir('agentsec-fleet-files-');
const home = homes.home;

function cli(h: string, args: string[], env: Record<string, string> = {}, input?: string): { code: number; stdout: string; stderr: string } {
  return runCli(['--home', h, ...args], input === undefined ? { env } : { env, input });
}

function json<T>(h: string, args: string[]): T {
  const r = cli(h, [...args, '--json']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as T;
}

/** Polls `check` until true; returns the milliseconds it took, or fails after `limitMs`. */
async function within(limitMs: number, check: () => Promise<boolean>): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (await check()) return performance.now() - started;
    const spent = performance.now() - started;
    if (spent > limitMs * 3) assert.fail(`not seen after ${Math.round(spent)} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

if (missing) {
  test('fleet on PostgreSQL', (t) => t.skip(missing));
} else {
  describe('a fleet on one PostgreSQL database', () => {
    let pg: PgServer;
    let url: string;
    let db: string;
    let a: string;
    let b: string;

    before(() => {
      pg = startPostgres();
      db = pg.createDatabase('fleet');
      url = pg.url(db);
      a = home('host-a', url);
      b = home('host-b', url);
    });
    after(async () => {
      await closeAgentsec();
      pg?.stop();
      homes.cleanup();
      files.cleanup();
    });

    test('two hosts with their own master keys share the schema; store status shows the backend, version and lag', () => {
      assert.notDeepEqual(readFileSync(join(a, 'master.key')), readFileSync(join(b, 'master.key')));
      const s = json<{ backend: string; schemaVersion: number; latestSchemaVersion: number; origin: string; lagMs: number; listening: boolean; location: string }>(b, ['store', 'status']);
      assert.equal(s.backend, 'postgres');
      assert.equal(s.schemaVersion, s.latestSchemaVersion);
      assert.equal(s.origin, 'host-b');
      assert.equal(s.listening, true);
      assert.ok(s.lagMs >= 0 && s.lagMs < 1000, `lag ${s.lagMs}`);
      assert.equal(s.location, url);
      // Each host has its own audit chain in the shared tables.
      const chains = pg.psql(db, 'SELECT origin, count(*) FROM audit_entries GROUP BY origin ORDER BY origin').trim().split('\n');
      assert.deepEqual(chains.map((l) => l.split('|')[0]), ['host-a', 'host-b']);
    });

    test("a block and a JWT revocation made on one host reach the other host's caches within 1 s", async () => {
      const ip = '203.0.113.7';
      assert.deepEqual(await isBlocked(ip, { home: b }), { blocked: false, block: null });
      assert.equal(cli(a, ['blocks', 'add', ip, '--for', '1h']).code, 0);
      const blockMs = await within(1000, async () => (await isBlocked(ip, { home: b })).blocked);
      assert.ok(blockMs < 1000, `block seen after ${blockMs} ms`);

      json(a, ['jwt', 'keygen']);
      const issued = json<{ accessToken: string; jti: string }>(a, ['jwt', 'issue', '--sub', 'alice']);
      const first = await verifyJwt(issued.accessToken, { home: b });
      assert.equal(first.valid, true, JSON.stringify(first));
      assert.equal(cli(a, ['jwt', 'revoke', '--jti', issued.jti, '--yes']).code, 0);
      const revokeMs = await within(1000, async () => {
        const v = await verifyJwt(issued.accessToken, { home: b });
        return !v.valid && v.reason === 'revoked';
      });
      assert.ok(revokeMs < 1000, `revocation seen after ${revokeMs} ms`);
    });

    test("an API key revoked on one host stops working on a host that shares its master key within 1 s", async () => {
      // API keys are stored as HMACs under the master key: hosts that verify each other's keys share that key file.
      const c = home('host-c', url, { masterKeyFrom: a });
      const issued = json<{ key: string; id: string }>(a, ['keys', 'issue', '--name', 'fleet']);
      assert.equal((await verifyApiKey(issued.key, { home: c })).valid, true);
      assert.equal(cli(a, ['keys', 'revoke', issued.id, '--yes']).code, 0);
      const ms = await within(1000, async () => !(await verifyApiKey(issued.key, { home: c, recordFailure: false })).valid);
      assert.ok(ms < 1000, `key revocation seen after ${ms} ms`);
    });

    test('a dump of the database holds no TOTP seed, JWT private key or master key', () => {
      const enrolled = json<{ secret: string }>(a, ['totp', 'enroll', 'carol']);
      json(a, ['jwt', 'keygen', '--alg', 'ES256']);
      // An external server's HS256 secret is stored sealed under the master key, as agentsec's own keys are.
      const serverSecret = 'fleet-external-hs256-server-secret-0123456789abcdef';
      const secretFile = join(files.dir, 'server.secret');
      writeFileSync(secretFile, serverSecret, { mode: 0o600 });
      json(a, ['jwt', 'keygen', '--alg', 'HS256', '--secret-file', secretFile, '--external', 'agentmem', '--issuer', 'agentmem', '--audience', 'memory-api']);
      const dump = spawnSync(join(pg.binDir, 'pg_dump'), ['-h', pg.socketDir, '-p', String(pg.port), '-U', 'agentsec_test', '--data-only', db], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      assert.equal(dump.status, 0, dump.stderr);
      const text = dump.stdout;
      assert.ok(text.includes('carol'), 'the dump has the TOTP user');
      assert.ok(!text.includes(enrolled.secret), 'TOTP seed in the dump');
      const seedHex = Buffer.from(base32(enrolled.secret)).toString('hex');
      assert.ok(!text.includes(seedHex), 'TOTP seed (hex) in the dump');
      for (const h of [a, b]) {
        const mk = readFileSync(join(h, 'master.key'));
        assert.ok(!text.includes(mk.toString('hex')) && !text.includes(mk.toString('base64')), 'master key in the dump');
      }
      assert.ok(!/"d"\s*:/.test(text) && !text.includes('PRIVATE KEY'), 'a private JWK or PEM in the dump');
      assert.ok(text.includes('agentmem'), 'the dump has the external issuer');
      const raw = Buffer.from(serverSecret);
      for (const enc of [serverSecret, raw.toString('hex'), raw.toString('base64'), raw.toString('base64url')]) assert.ok(!text.includes(enc), 'the external HS256 secret in the dump');
    });

    test("an IdP trusted with jwt trust on one host verifies on another; removed, its keys are gone from the database", async () => {
      // The fleet holds an HS256 key by now (the dump test's external one): a verifying host shares its master key.
      const d = home('host-d', url, { masterKeyFrom: a });
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const file = join(files.dir, 'jwks.json');
      writeFileSync(file, JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'kc-fleet-1', alg: 'RS256', use: 'sig' }] }));
      const ISS = 'https://sso.example.com/realms/agents';
      const trusted = json<{ added: string[] }>(a, ['jwt', 'trust', '--jwks', file, '--issuer', ISS, '--audience', 'agent-api', '--name', 'keycloak']);
      assert.deepEqual(trusted.added, ['kc-fleet-1']);
      assert.equal(pg.psql(db, "SELECT issuer_name FROM jwt_keys WHERE kid = 'kc-fleet-1'").trim(), 'keycloak');
      const token = jsonwebtoken.sign({ sub: 'dave' }, privateKey.export({ format: 'pem', type: 'pkcs8' }) as string, { algorithm: 'RS256', keyid: 'kc-fleet-1', expiresIn: '5m', issuer: ISS, audience: 'agent-api' });
      const onD = cli(d, ['--json', 'jwt', 'verify'], {}, token);
      assert.equal(onD.code, 0, onD.stdout + onD.stderr);
      assert.equal((JSON.parse(onD.stdout) as { claims: { sub: string } }).claims.sub, 'dave');
      assert.equal((await verifyJwt(token, { home: d })).valid, true);

      assert.equal(cli(a, ['jwt', 'trust', 'remove', 'keycloak']).code, 0);
      // The foreign key's ON DELETE CASCADE took the issuer's keys with it, and host d's cache follows.
      assert.equal(pg.psql(db, "SELECT count(*) FROM jwt_keys WHERE kid = 'kc-fleet-1'").trim(), '0');
      const goneMs = await within(1000, async () => !(await verifyJwt(token, { home: d })).valid);
      assert.ok(goneMs < 1000, `removal seen after ${goneMs} ms`);
      assert.equal(cli(d, ['jwt', 'verify'], {}, token).code, 1);
    });

    test('a password in the URL is refused without echoing it; a plaintext remote server is refused; an unreachable one exits 3', () => {
      const pw = cli(a, ['keys', 'list'], { AGENTSEC_DATABASE_URL: 'postgres://agent:hunter2-secret@db.example.com/agentsec' });
      assert.equal(pw.code, 2);
      assert.match(pw.stderr, /password/);
      assert.ok(!pw.stderr.includes('hunter2'), pw.stderr);
      assert.equal(pw.stderr.trim().split('\n').length, 1, pw.stderr);

      const plain = cli(a, ['keys', 'list'], { AGENTSEC_DATABASE_URL: 'postgres://agent@db.example.com/agentsec?sslmode=disable' });
      assert.equal(plain.code, 2, plain.stderr);
      assert.match(plain.stderr, /neither a Unix socket nor loopback/);

      const down = cli(a, ['keys', 'list'], { AGENTSEC_DATABASE_URL: `postgres://agentsec_test@/${db}?host=${encodeURIComponent(join(pg.socketDir, 'nowhere'))}` });
      assert.equal(down.code, 3, down.stderr);
      assert.match(down.stderr, /unreachable/);
      assert.equal(down.stderr.trim().split('\n').length, 1, down.stderr);
    });

    test('a database with a schema newer than this agentsec is refused', () => {
      const newer = pg.createDatabase('newer');
      pg.psql(newer, 'CREATE TABLE agentsec_schema (one BOOLEAN PRIMARY KEY DEFAULT true, version INTEGER NOT NULL); INSERT INTO agentsec_schema VALUES (true, 99)');
      const r = cli(a, ['store', 'status'], { AGENTSEC_DATABASE_URL: pg.url(newer) });
      assert.equal(r.code, 3, r.stderr);
      assert.match(r.stderr, /schema version 99, newer than this agentsec supports/);
    });
  });
}

/** RFC 4648 base32 to bytes (the seed as the authenticator gets it). */
function base32(s: string): Uint8Array {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const c of s.replace(/=+$/, '')) {
    value = (value << 5) | alphabet.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Uint8Array.from(out);
}
