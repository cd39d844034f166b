import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { closeBlockStores, closeTotpStores, isBlocked, verifyTotp } from '../../src/index.js';
import { AgentsecError } from '../../src/core/errors.js';
import { activeUser, cli, codeAt, enroll, initHome } from '../commands/totp/helpers.js';

after(async () => {
  await closeTotpStores();
  await closeBlockStores();
});
const T0 = Date.UTC(2026, 6, 1, 0, 0, 3);

test('verifyTotp: the CLI verdicts, replay guard shared with the CLI, backup codes, lockout', async () => {
  const { home, cleanup } = await initHome();
  try {
    const e = await activeUser(home, 'alice', T0);
    const t = T0 + 60_000;
    const now = new Date(t);
    assert.deepEqual(await verifyTotp('alice', codeAt(e, t), { home, now, ip: '192.0.2.1' }), { code: 'VALID', valid: true, user: 'alice', method: 'totp', drift: 0 });
    assert.equal((await verifyTotp('alice', codeAt(e, t), { home, now })).code, 'REPLAYED');
    // The CLI sees the step the library accepted.
    const cliReplay = await cli(home, ['totp', 'verify', 'alice'], { stdin: codeAt(e, t), now: t });
    assert.deepEqual([cliReplay.code, cliReplay.stdout], [1, 'REPLAYED\n']);
    const backup = await verifyTotp('alice', e.backupCodes[3] as string, { home, now });
    assert.deepEqual([backup.code, backup.backupCodesLeft], ['VALID_BACKUP_CODE', 9]);
    assert.equal((await verifyTotp('alice', ' 123456', { home, now })).code, 'MALFORMED');
    assert.equal((await verifyTotp('alice', 123456 as unknown as string, { home, now })).code, 'MALFORMED');
    assert.equal((await verifyTotp('nobody', '123456', { home, now })).code, 'UNKNOWN_USER');
    const p = await enroll(home, 'pending', [], T0);
    assert.equal((await verifyTotp('pending', codeAt(p, t), { home, now })).code, 'PENDING');
    const right = codeAt(e, t + 90_000);
    const wrong = `${right.slice(0, 5)}${(Number(right[5]) + 1) % 10}`;
    let last;
    for (let i = 0; i < 5; i++) last = await verifyTotp('alice', wrong, { home, now: new Date(t + 90_000) });
    assert.ok(last?.lockedUntil);
    assert.equal((await verifyTotp('alice', right, { home, now: new Date(t + 90_000) })).code, 'LOCKED');
  } finally {
    await closeTotpStores();
    cleanup();
  }
});

test('verifyTotp: caller mistakes throw usage errors', async () => {
  for (const [user, opts] of [
    ['bad user', {}],
    ['alice', { window: 3 }],
    ['alice', { window: 1.5 }],
    ['alice', { ip: 'not-an-ip' }],
  ] as const) {
    await assert.rejects(verifyTotp(user, '123456', opts), (err: unknown) => err instanceof AgentsecError && err.exitCode === 2);
  }
});

test('verifyTotp: with ip, wrong codes and unknown users count against the address in the blocks policy', async () => {
  const { home, cleanup } = await initHome();
  try {
    const e = await activeUser(home, 'bob', T0);
    const t = T0 + 60_000;
    const right = codeAt(e, t);
    const wrong = `${right.slice(0, 5)}${(Number(right[5]) + 1) % 10}`;
    const now = new Date(t);
    // Opted out, and malformed codes: never counted.
    await verifyTotp('bob', wrong, { home, now, ip: '198.51.100.20', recordFailure: false });
    await verifyTotp('bob', 'abc', { home, now, ip: '198.51.100.20' });
    assert.equal((await isBlocked('198.51.100.20', { home, now })).blocked, false);
    // Two unknown users and three wrong codes: the fifth failure within 10 minutes blocks the address.
    await verifyTotp('mallory', '123456', { home, now, ip: '198.51.100.20' });
    await verifyTotp('eve', '123456', { home, now, ip: '198.51.100.20' });
    for (let i = 0; i < 2; i++) await verifyTotp('bob', wrong, { home, now, ip: '198.51.100.20' });
    assert.equal((await isBlocked('198.51.100.20', { home, now })).blocked, false);
    await verifyTotp('bob', wrong, { home, now, ip: '198.51.100.20' });
    const hit = await isBlocked('198.51.100.20', { home, now });
    assert.equal(hit.blocked, true);
    // The block was made at the check's clock, not the wall clock.
    if (hit.blocked) assert.equal(hit.block.expiresAt, new Date(t + 3_600_000).toISOString());
  } finally {
    await closeTotpStores();
    await closeBlockStores();
    cleanup();
  }
});

test('verifyTotp: 40 concurrent wrong codes and backup codes in one process: exactly maxFailures are checked, then even the right code is LOCKED', async () => {
  const { home, cleanup } = await initHome();
  try {
    const e = await activeUser(home, 'carol', T0);
    const t = T0 + 60_000;
    const now = new Date(t);
    const right = codeAt(e, t);
    const wrong = `${right.slice(0, 5)}${(Number(right[5]) + 1) % 10}`;
    const guesses = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? `zzzzz-zzzz${'abcdefghjk'[i % 10]}` : wrong));
    const verdicts = await Promise.all(guesses.map((g) => verifyTotp('carol', g, { home, now })));
    const count = (c: string) => verdicts.filter((v) => v.code === c).length;
    assert.deepEqual([count('INVALID'), count('LOCKED')], [5, 35]);
    assert.deepEqual(verdicts.filter((v) => v.code === 'INVALID').map((v) => v.failures).sort(), [1, 2, 3, 4, 5]);
    assert.equal((await verifyTotp('carol', right, { home, now })).code, 'LOCKED');
    assert.equal((await verifyTotp('carol', e.backupCodes[0] as string, { home, now })).code, 'LOCKED');
    // Neither right code was checked: after the lock, the backup code still works once (it was not used up).
    const later = new Date(t + 15 * 60_000);
    assert.equal((await verifyTotp('carol', e.backupCodes[0] as string, { home, now: later })).code, 'VALID_BACKUP_CODE');
  } finally {
    await closeTotpStores();
    cleanup();
  }
});

test('verifyTotp: a right backup code as the last allowed attempt is valid and leaves no lock; one backup code raced three times is valid once', async () => {
  const { home, cleanup } = await initHome();
  try {
    const e = await activeUser(home, 'dan', T0);
    const now = new Date(T0 + 60_000);
    for (let i = 0; i < 4; i++) assert.equal((await verifyTotp('dan', 'zzzzz-zzzzz', { home, now })).code, 'INVALID');
    const ok = await verifyTotp('dan', e.backupCodes[1] as string, { home, now });
    assert.equal(ok.code, 'VALID_BACKUP_CODE');
    const next = await verifyTotp('dan', 'zzzzz-zzzzz', { home, now });
    assert.deepEqual([next.code, next.failures, next.lockedUntil], ['INVALID', 1, undefined]);
    const raced = await Promise.all([2, 2, 2].map((i) => verifyTotp('dan', e.backupCodes[i] as string, { home, now })));
    assert.deepEqual(raced.map((v) => v.code).sort(), ['INVALID', 'INVALID', 'VALID_BACKUP_CODE']);
  } finally {
    await closeTotpStores();
    cleanup();
  }
});

test('verifyTotp: one code raced ten times in one process is VALID once; every other try is a counted replay until the lock', async () => {
  const { home, cleanup } = await initHome();
  try {
    const e = await activeUser(home, 'erin', T0);
    const t = T0 + 60_000;
    const now = new Date(t);
    const verdicts = await Promise.all(Array.from({ length: 10 }, () => verifyTotp('erin', codeAt(e, t), { home, now })));
    const count = (c: string) => verdicts.filter((v) => v.code === c).length;
    // The VALID one clears earlier failures; then each replay is checked and counted until the fifth locks the user.
    assert.deepEqual([count('VALID'), count('REPLAYED'), count('LOCKED')], [1, 5, 4]);
    assert.deepEqual(verdicts.filter((v) => v.code === 'REPLAYED').map((v) => v.failures).sort(), [1, 2, 3, 4, 5]);
  } finally {
    await closeTotpStores();
    cleanup();
  }
});
