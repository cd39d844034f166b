import assert from 'node:assert/strict';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import jsonwebtoken from 'jsonwebtoken';
import { runCli, tempDir } from '../support/cli.js';

const tmp = tempDir();
after(() => tmp.cleanup());

const OLD = 'b2xkLXNlcnZlci1zZWNyZXQtb2YtYWdlbnRtZW0tMjAyNi0xMi0wMS14eXo';

function setup(name: string): { A: (args: string[], input?: string) => ReturnType<typeof runCli>; env: string; home: string } {
  const home = join(tmp.dir, name);
  const A = (args: string[], input?: string) => runCli(['--home', home, ...args], input === undefined ? {} : { input });
  assert.equal(A(['init', '--quiet']).code, 0);
  const env = join(tmp.dir, `${name}.env`);
  writeFileSync(env, `PORT=8080\nJWT_SECRET=${OLD}\n`);
  chmodSync(env, 0o600);
  const secretFile = join(tmp.dir, `${name}.secret`);
  writeFileSync(secretFile, OLD);
  const gen = A(['jwt', 'keygen', '--alg', 'HS256', '--secret-file', secretFile, '--external', 'agentmem']);
  assert.equal(gen.code, 0, gen.stderr);
  return { A, env, home };
}

const sign = (secret: string) => jsonwebtoken.sign({ sub: 'user-1' }, secret, { algorithm: 'HS256', expiresIn: '10m' });
const valueIn = (file: string, name: string) => (readFileSync(file, 'utf8').match(new RegExp(`^${name}=(.*)$`, 'm')) as RegExpMatchArray)[1] as string;

test('secret rotate --jwt-key rolls the external HS256 key with the .env: both values verify until the grace ends, then only the new', async () => {
  const { A, env, home } = setup('roll');
  const r = A(['--json', 'secret', 'rotate', 'JWT_SECRET', '--dotenv', env, '--jwt-key', 'agentmem', '--grace', '3s']);
  assert.equal(r.code, 0, r.stderr);
  const NEW = valueIn(env, 'JWT_SECRET');
  assert.notEqual(NEW, OLD);
  assert.equal(valueIn(env, 'JWT_SECRET_PREVIOUS'), OLD);
  const doc = JSON.parse(r.stdout) as { jwtKey: { name: string; kid: string; retiring: string[]; until: string } };
  assert.equal(doc.jwtKey.name, 'agentmem');
  assert.equal(doc.jwtKey.retiring.length, 1);
  assert.ok(!r.stdout.includes(NEW) && !r.stderr.includes(NEW), 'the new value is only in the file');
  assert.equal(A(['jwt', 'verify'], sign(NEW)).code, 0, 'the new secret verifies at once');
  assert.equal(A(['jwt', 'verify'], sign(OLD)).code, 0, 'the old one verifies during the grace');
  await new Promise((res) => setTimeout(res, 3500));
  assert.equal(A(['jwt', 'verify'], sign(NEW)).code, 0);
  const old = A(['--json', 'jwt', 'verify'], sign(OLD));
  assert.equal(old.code, 1, 'after the grace the old secret no longer verifies');
  assert.equal((JSON.parse(old.stdout) as { reason: string }).reason, 'bad-signature');

  const types = A(['audit', 'log', '--json']).stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; data: Record<string, unknown> });
  const roll = types.find((e) => e.type === 'jwt.keygen' && Array.isArray(e.data['rotated']));
  assert.ok(roll, 'the keyring roll is audited');
  assert.ok(types.some((e) => e.type === 'secret.rotated'));
  const log = A(['audit', 'export']).stdout;
  const db = readFileSync(join(home, 'agentsec.db')).toString('latin1');
  for (const v of [OLD, NEW]) assert.ok(!log.includes(v) && !db.includes(v), 'no secret value in the audit chain or the store in the clear');
});

test('secret rotate --jwt-key: a failure before the commit leaves the file and the keyring as they were', () => {
  const { A, env } = setup('atomic');
  // --bytes 16 makes a 22-character value: too short for HS256, so the keyring refuses it inside the transaction.
  const before = readFileSync(env, 'utf8');
  const r = A(['secret', 'rotate', 'JWT_SECRET', '--dotenv', env, '--jwt-key', 'agentmem', '--bytes', '16']);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /at least 32/);
  assert.equal(readFileSync(env, 'utf8'), before, 'the file was not replaced');
  assert.equal(A(['jwt', 'verify'], sign(OLD)).code, 0);
  const issuers = JSON.parse(A(['--json', 'jwt', 'trust', 'list']).stdout) as { issuers: { keys: unknown[] }[] };
  assert.equal(issuers.issuers[0]?.keys.length, 1, 'no key was added');

  // Bad input changes nothing and says why.
  const unknown = A(['secret', 'rotate', 'JWT_SECRET', '--dotenv', env, '--jwt-key', 'nope']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /no external issuer named 'nope'/);
  assert.equal(A(['secret', 'rotate', 'JWT_SECRET', 'PORT', '--dotenv', env, '--jwt-key', 'agentmem']).code, 2, 'one NAME only');
  assert.equal(readFileSync(env, 'utf8'), before);
  const dry = A(['--json', 'secret', 'rotate', 'JWT_SECRET', '--dotenv', env, '--jwt-key', 'agentmem', '--dry-run']);
  assert.equal(dry.code, 0, dry.stderr);
  assert.equal(readFileSync(env, 'utf8'), before, 'a dry run writes nothing');
  assert.equal(JSON.parse(A(['--json', 'jwt', 'trust', 'list']).stdout).issuers[0].keys.length, 1, 'nor rolls the keyring');
});
