import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { closeJwtStores, issueJwt, revokeSubject, verifyJwt } from '../../src/index.js';
import { libraryRuntime } from '../../src/lib/runtime.js';
import { openJwt, tokenVerifier, type CheckOptions } from '../../src/services/jwt.js';
import { runCli, tempDir } from '../support/cli.js';

const tmp = tempDir();
after(async () => {
  await closeJwtStores();
  tmp.cleanup();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('the verifier serves a repeated token from memory, never reads the store per call, and sees a CLI revocation through the change feed', async () => {
  const home = join(tmp.dir, 'v');
  assert.equal(runCli(['--home', home, 'init', '--quiet']).code, 0);
  assert.equal(runCli(['--home', home, 'jwt', 'keygen']).code, 0);
  const a = await issueJwt({ sub: 'agent-1', aud: 'api' }, { home });
  const b = await issueJwt({ sub: 'agent-2', aud: 'api' }, { home });
  const svc = await openJwt(libraryRuntime(home), { needKey: 'if-hmac' });
  try {
    let loads = 0;
    const repo = svc.store.jwt;
    const revocations = repo.revocations.bind(repo);
    // The per-call denylist query of the old path must never run; the denylist is read once per change.
    Object.assign(repo, {
      isRevoked: () => Promise.reject(new Error('a store read per verification')),
      revocations: (now: number) => (loads++, revocations(now)),
    });
    const v = tokenVerifier(svc, { maxEntries: 4 });
    const opts = (): CheckOptions => ({ now: Date.now(), kind: 'access', audience: ['api'], clockToleranceS: 30 });
    for (let i = 0; i < 50; i++) assert.equal((await v.verify(a.accessToken, opts())).valid, true);
    assert.equal(loads, 1, 'one denylist read for 50 verifications');
    assert.equal(v.size, 1);
    // The policy is part of the key: a cached valid verdict is not an answer for another audience.
    assert.equal((await v.verify(a.accessToken, { ...opts(), audience: ['other'] })).reason, 'wrong-audience');
    // Cached no longer than the token lives.
    assert.equal((await v.verify(a.accessToken, { ...opts(), now: a.expiresAt.getTime() + 31_000 })).reason, 'expired');

    assert.equal(runCli(['--home', home, 'jwt', 'revoke', '--jti', a.jti]).code, 0);
    await sleep(5);
    assert.equal((await v.verify(a.accessToken, opts())).reason, 'revoked', 'the feed moved: the cache was dropped and the denylist read again');
    assert.equal(loads, 3, 'once at start, once for the clock jump of the expiry check (the ring is at most a minute old), once for the feed');
    assert.equal((await v.verify(b.accessToken, opts())).valid, true, 'other tokens still verify');

    // Bounded: many distinct tokens never hold more than maxEntries verdicts.
    for (let i = 0; i < 10; i++) {
      const t = await issueJwt({ sub: `bulk-${i}`, aud: 'api' }, { home });
      await sleep(2);
      assert.equal((await v.verify(t.accessToken, opts())).valid, true);
      assert.ok(v.size <= 4, `size ${v.size}`);
    }
  } finally {
    await svc.close();
  }
});

test('revokeSubject in this process takes effect on the very next verifyJwt, even for a cached token', async () => {
  const home = join(tmp.dir, 'lib');
  assert.equal(runCli(['--home', home, 'init', '--quiet']).code, 0);
  assert.equal(runCli(['--home', home, 'jwt', 'keygen']).code, 0);
  const t = await issueJwt({ sub: 'agent-7' }, { home });
  for (let i = 0; i < 3; i++) assert.equal((await verifyJwt(t.accessToken, { home })).valid, true);
  const r = await revokeSubject('agent-7', { home });
  assert.ok(r.until.getTime() > Date.now());
  const after = await verifyJwt(t.accessToken, { home });
  assert.equal(after.valid, false);
  if (!after.valid) assert.equal(after.reason, 'revoked');
  const fresh = await issueJwt({ sub: 'agent-7' }, { home });
  assert.equal((await verifyJwt(fresh.accessToken, { home })).valid, true, 'tokens issued after the revocation verify');
});
