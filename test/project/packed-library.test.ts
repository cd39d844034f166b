import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ROOT, runCli, tempDir } from '../support/cli.js';

const tmp = tempDir('agentsec-pack-');
after(() => tmp.cleanup());

/**
 * The packed tarball as a consumer gets it. `npm install ./x.tgz --offline` cannot work on an offline host (npm
 * still wants registry metadata for the dependencies: ENOTCACHED), so the tarball is unpacked where npm would put
 * it and the dependencies are linked from this checkout's node_modules — every package but the `@types` ones other
 * than Node's, which a consumer of ours would not have: a declaration that reached better-sqlite3's types fails
 * to compile with TS7016 here, as it would there.
 */
function installPacked(project: string): void {
  const pack = spawnSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', tmp.dir], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(pack.status, 0, pack.stderr);
  const tgz = join(tmp.dir, pack.stdout.trim().split('\n').pop() as string);
  const modules = join(project, 'node_modules');
  const own = join(modules, 'agentsec-server');
  mkdirSync(own, { recursive: true });
  const untar = spawnSync('tar', ['-xzf', tgz, '-C', own, '--strip-components=1'], { encoding: 'utf8' });
  assert.equal(untar.status, 0, untar.stderr);
  const source = join(ROOT, 'node_modules');
  for (const name of readdirSync(source)) {
    if (name.startsWith('.')) continue;
    if (name.startsWith('@')) {
      mkdirSync(join(modules, name), { recursive: true });
      for (const sub of readdirSync(join(source, name))) if (name !== '@types' || sub === 'node') symlinkSync(join(source, name, sub), join(modules, name, sub));
    } else {
      symlinkSync(join(source, name), join(modules, name));
    }
  }
}

const CONSUMER = `
import { createHmac } from 'node:crypto';
import {
  addBlock, closeAgentsec, confirmTotp, enrollTotp, isBlocked, issueApiKey, issueJwt, removeBlock, revokeApiKey,
  revokeJwt, rotateApiKey, verifyApiKey, verifyJwt, type VerifyJwtResult,
} from 'agentsec-server';

function totp(base32: string, at: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of base32.replace(/=+$/, '')) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from((bits.match(/.{8}/g) ?? []).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 30_000)));
  const h = createHmac('sha1', key).update(counter).digest();
  const o = (h[h.length - 1] as number) & 15;
  return String((h.readUInt32BE(o) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

function subject(r: VerifyJwtResult): string {
  // Narrowing: claims exist exactly when valid; reason exactly when not.
  if (r.valid) return String(r.claims['sub']);
  const reason: string = r.reason;
  return 'invalid:' + reason;
}

const out: Record<string, unknown> = {};
const t = await issueJwt({ sub: 'agent-1', aud: 'api' });
out.jwt = subject(await verifyJwt(t.accessToken, { audience: 'api' }));
await revokeJwt(t.jti);
out.jwtRevoked = subject(await verifyJwt(t.accessToken, { audience: 'api' }));

const k = await issueApiKey({ name: 'consumer', scopes: ['memory:read'] });
const v = await verifyApiKey(k.key, { scopes: ['memory:read'] });
out.apiKey = v.valid ? v.key.name : v.code;
const r = await rotateApiKey(k.info.id);
out.rotated = r.previous.rotatedTo === r.info.id;
out.oldAfterRotate = (await verifyApiKey(k.key)).code;
await revokeApiKey(r.info.id, { reason: 'done' });
out.newAfterRevoke = (await verifyApiKey(r.key)).code;

await addBlock('203.0.113.0/24', { forSeconds: 3600, reason: 'consumer test' });
const b = await isBlocked('203.0.113.9');
out.blocked = b.blocked ? b.block.value : null;
out.removed = (await removeBlock('203.0.113.0/24')).removed;
out.afterRemove = (await isBlocked('203.0.113.9')).blocked;

const e = await enrollTotp('alice');
const c = await confirmTotp('alice', totp(e.secret, Date.now()));
out.totp = c.confirmed ? c.backupCodes.length : c.code;
await closeAgentsec();
process.stdout.write(JSON.stringify(out));
`;

test('the packed tarball compiles in a TypeScript consumer with skipLibCheck false and runs the whole library', () => {
  const project = join(tmp.dir, 'consumer');
  mkdirSync(project, { recursive: true });
  installPacked(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', type: 'module', private: true }));
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true, skipLibCheck: false, types: ['node'], outDir: 'out' }, include: ['consumer.ts'] }));
  writeFileSync(join(project, 'consumer.ts'), CONSUMER);
  const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project], { cwd: project, encoding: 'utf8' });
  assert.equal(tsc.status, 0, `tsc: ${tsc.stdout}${tsc.stderr}`);

  const home = join(tmp.dir, 'home');
  assert.equal(runCli(['--home', home, 'init', '--quiet']).code, 0);
  assert.equal(runCli(['--home', home, 'jwt', 'keygen']).code, 0);
  const run = spawnSync(process.execPath, [join(project, 'out', 'consumer.js')], { cwd: project, encoding: 'utf8', env: { PATH: process.env['PATH'], AGENTSEC_HOME: home } });
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(JSON.parse(run.stdout), {
    jwt: 'agent-1',
    jwtRevoked: 'invalid:revoked',
    apiKey: 'consumer',
    rotated: true,
    oldAfterRotate: 'EXPIRED',
    newAfterRevoke: 'REVOKED',
    blocked: '203.0.113.0/24',
    removed: true,
    afterRemove: false,
    totp: 10,
  });
});
