import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AgentsecError, ExitCode } from '../../src/core/errors.js';
import { libraryRuntime } from '../../src/lib/runtime.js';
import { checkToken, issueTokens, openJwt, revokeTokens, rotateRefresh, verifyRing, type JwtDeps, type JwtService } from '../../src/services/jwt.js';
import type { JwtRepository } from '../../src/store/jwt.js';
import type { Store } from '../../src/store/store.js';
import { cli, initHome } from '../commands/keys/helpers.js';

const T = new Date('2026-06-01T12:00:00Z');
let home: string;
let cleanup: () => void;
let svc: JwtService;

before(async () => {
  ({ home, cleanup } = await initHome());
  assert.equal((await cli(home, ['jwt', 'keygen'], { now: T })).code, 0);
  svc = await openJwt({ ...libraryRuntime(home), clock: () => T }, { audit: true });
});
after(async () => {
  await svc.close();
  cleanup();
});

/**
 * The service with a store whose subject-mark read (the one made before signing, outside any transaction) lets a
 * `revoke --sub` of that subject commit right after it, the first `times` times: the revocation lands while the
 * tokens are being signed, as another process's would.
 */
function revokingWhileSigning(times: number): JwtDeps {
  let left = times;
  const real = svc.store.jwt;
  const jwt = new Proxy(real, {
    get(target, prop, receiver) {
      if (prop !== 'subjectMark') return Reflect.get(target, prop, receiver) as unknown;
      return async (sub: string) => {
        const mark = await target.subjectMark(sub);
        if (left-- > 0) await revokeTokens(svc, 'sub', sub, T.getTime());
        return mark;
      };
    },
  }) as JwtRepository;
  const store = new Proxy(svc.store, {
    get(target, prop) {
      if (prop === 'jwt') return jwt;
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  }) as Store;
  return { ...svc, store };
}

async function verdict(token: string, kind: 'access' | 'refresh' = 'access') {
  return checkToken(svc, token, await verifyRing(svc, T.getTime()), { now: T.getTime(), kind, issuer: undefined, audience: [], clockToleranceS: 30 });
}

const spec = (sub: string) => ({ claims: { sub, extra: {} }, accessTtlMs: 900_000, refreshTtlMs: 86_400_000 });

test('a subject revocation that commits while tokens are being signed: they are signed again under the new mark and are valid', async () => {
  const before = await issueTokens(svc, spec('judy'), T.getTime());
  const issued = await issueTokens(revokingWhileSigning(1), spec('judy'), T.getTime());
  assert.equal((await verdict(before.access.token)).reason, 'revoked', 'the tokens issued before the revocation are dead');
  assert.equal((await verdict(issued.access.token)).valid, true, 'the tokens recorded after it are not');
  assert.equal((await verdict(issued.refresh?.token as string, 'refresh')).valid, true);
  assert.equal((await verdict(issued.access.token)).claims?.['sgen'], await svc.store.jwt.subjectMark('judy'));
  // Only the tokens that were recorded exist in the ledger: the first signing was thrown away.
  assert.ok(await svc.store.jwt.token(issued.access.jti));
});

test('a refresh raced by a subject revocation mints no pair; three revocations in a row while signing refuse with exit 3', async () => {
  const first = await issueTokens(svc, spec('ken'), T.getTime());
  const v = await verdict(first.refresh?.token as string, 'refresh');
  assert.equal(v.valid, true);
  // The refresh token itself was revoked by the first of those revocations: no pair at all.
  const rotated = await rotateRefresh(revokingWhileSigning(1), v.claims as Record<string, unknown>, { accessTtlMs: 900_000, refreshTtlMs: 86_400_000 }, T.getTime());
  assert.deepEqual(rotated, { ok: false, reason: 'revoked' });
  await assert.rejects(issueTokens(revokingWhileSigning(3), spec('ken'), T.getTime()), (err: unknown) => err instanceof AgentsecError && err.exitCode === ExitCode.Runtime && /revoked again while its tokens were being signed/.test(err.message));
  const after = await issueTokens(revokingWhileSigning(2), spec('ken'), T.getTime());
  assert.equal((await verdict(after.access.token)).valid, true, 'the third attempt, after two revocations, is recorded');
});
