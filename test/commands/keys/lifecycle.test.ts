import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync } from 'node:fs';
import { cli, initHome, issue } from './helpers.js';

const T0 = new Date('2026-01-01T00:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const HOUR = 3_600_000;

async function verify(home: string, key: string, now: Date): Promise<string> {
  return (JSON.parse((await cli(home, ['--json', 'keys', 'verify'], { stdin: key, now })).stdout) as { code: string }).code;
}

test('list and show leak nothing: no key, no body, no hash', async () => {
  const { home, cleanup } = await initHome();
  try {
    const issued = [await issue(home, ['--role', 'owner', '--meta', 'env=prod'], T0), await issue(home, ['--allow-ip', '2001:db8::/48'], at(1))];
    const outputs = [
      await cli(home, ['--json', 'keys', 'list', '--all']),
      await cli(home, ['keys', 'list']),
      await cli(home, ['--json', 'keys', 'show', issued[0]!.id]),
      await cli(home, ['keys', 'show', issued[1]!.id]),
    ];
    for (const o of outputs) {
      assert.equal(o.code, 0, o.stderr);
      for (const { key } of issued) {
        const body = key.split('_')[1] as string;
        assert.ok(!o.stdout.includes(body.slice(0, 12)) && !o.stderr.includes(body.slice(0, 12)), 'no part of the body');
      }
      assert.ok(!/hmac|hash/i.test(o.stdout), 'no hash field');
      assert.ok(!/[0-9a-f]{64}/.test(o.stdout), 'nothing hash-shaped');
    }
    const doc = JSON.parse(outputs[0]!.stdout) as { schemaVersion: number; keys: Array<Record<string, unknown>> };
    assert.equal(doc.schemaVersion, 1);
    assert.deepEqual(Object.keys(doc.keys[0]!).sort(), ['allowIps', 'createdAt', 'display', 'expiresAt', 'id', 'lastUsedAt', 'meta', 'name', 'prefix', 'revokeReason', 'revokedAt', 'role', 'rotatedFrom', 'rotatedTo', 'scopes', 'status'].sort());
    const shown = JSON.parse(outputs[2]!.stdout) as { key: { permissions: string[] } };
    assert.deepEqual(shown.key.permissions, ['*:*', 'secret:*', 'user:*']);
    assert.match(outputs[1]!.stdout.split('\n')[0]!, new RegExp(`^${issued[0]!.id}\\ttest\\task_…${issued[0]!.key.slice(-4)}\\towner\\t-\\tactive`));
  } finally {
    cleanup();
  }
});

test('list hides revoked and expired keys unless --all', async () => {
  const { home, cleanup } = await initHome();
  try {
    const a = await issue(home, [], T0);
    const b = await issue(home, ['--expires', '1h'], at(1));
    const c = await issue(home, [], at(2));
    await cli(home, ['keys', 'revoke', c.id, '--reason', 'test', '--yes'], { now: at(3) });
    const ids = async (args: string[], now: Date) => (JSON.parse((await cli(home, ['--json', 'keys', 'list', ...args], { now })).stdout) as { keys: Array<{ id: string; status: string }> }).keys.map((k) => `${k.id}:${k.status}`);
    assert.deepEqual(await ids([], at(10)), [`${a.id}:active`, `${b.id}:active`]);
    assert.deepEqual(await ids([], at(2 * HOUR)), [`${a.id}:active`]);
    assert.deepEqual(await ids(['--all'], at(2 * HOUR)), [`${a.id}:active`, `${b.id}:expired`, `${c.id}:revoked`]);
    const shown = JSON.parse((await cli(home, ['--json', 'keys', 'show', c.id])).stdout) as { key: { revokeReason: string; revokedAt: string } };
    assert.equal(shown.key.revokeReason, 'test');
    assert.equal(shown.key.revokedAt, at(3).toISOString());
  } finally {
    cleanup();
  }
});

test('rotate: same attributes, new key; the old works through the grace, then EXPIRED', async () => {
  const { home, cleanup } = await initHome();
  try {
    const old = await issue(home, ['--role', 'admin', '--scope', 'memory:write', '--allow-ip', '10.0.0.0/8', '--meta', 'team=a', '--prefix', 'zz', '--expires', '30d'], T0);
    const r = await cli(home, ['--json', 'keys', 'rotate', old.id, '--grace', '2h'], { now: at(HOUR) });
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as Record<string, unknown> & { key: string; old: Record<string, unknown> };
    assert.match(doc.key, /^zz_/);
    assert.notEqual(doc.key, old.key);
    assert.equal(doc['name'], 'test');
    assert.equal(doc['role'], 'admin');
    assert.deepEqual(doc['scopes'], ['memory:write']);
    assert.deepEqual(doc['allowIps'], ['10.0.0.0/8']);
    assert.deepEqual(doc['meta'], { team: 'a' });
    assert.equal(doc['rotatedFrom'], old.id);
    assert.equal(doc.old['rotatedTo'], doc['id']);
    assert.equal(doc.old['expiresAt'], at(3 * HOUR).toISOString());
    assert.equal(doc['expiresAt'], at(30 * 24 * HOUR).toISOString(), 'the new key keeps the original expiry');
    const ipArgs = ['--ip', '10.1.1.1'];
    const v = async (key: string, now: Date) => (JSON.parse((await cli(home, ['--json', 'keys', 'verify', ...ipArgs], { stdin: key, now })).stdout) as { code: string }).code;
    assert.equal(await v(old.key, at(3 * HOUR - 1)), 'VALID');
    assert.equal(await v(old.key, at(3 * HOUR)), 'EXPIRED');
    assert.equal(await v(doc.key, at(3 * HOUR)), 'VALID');
    // Rotating the retired key again is refused: rotate the new one.
    const again = await cli(home, ['keys', 'rotate', old.id], { now: at(HOUR + 1) });
    assert.equal(again.code, 2);
    assert.match(again.stderr, /already rotated to key_/);
  } finally {
    cleanup();
  }
});

test('rotate: grace never extends an expiry; 0s ends the old key now', async () => {
  const { home, cleanup } = await initHome();
  try {
    const short = await issue(home, ['--expires', '1h'], T0);
    const r = JSON.parse((await cli(home, ['--json', 'keys', 'rotate', short.id, '--grace', '24h'], { now: at(1000) })).stdout) as { old: { expiresAt: string } };
    assert.equal(r.old.expiresAt, at(HOUR).toISOString());
    const now = await issue(home, [], T0);
    await cli(home, ['keys', 'rotate', now.id, '--grace', '0s'], { now: at(1000) });
    assert.equal(await verify(home, now.key, at(1000)), 'EXPIRED');
  } finally {
    cleanup();
  }
});

test('rotate and revoke bad input', async () => {
  const { home, cleanup } = await initHome();
  try {
    const k = await issue(home, [], T0);
    const cases: Array<[string[], RegExp, number]> = [
      [['keys', 'rotate', 'key_nope'], /no API key with id 'key_nope'/, 2],
      [['keys', 'rotate', k.id, '--grace', 'forever'], /--grace: invalid duration 'forever'/, 2],
      [['keys', 'revoke', 'key_nope'], /no API key with id 'key_nope'/, 2],
      [['keys', 'revoke', k.id, '--reason', 'a\nb'], /--reason: use at most 500 printable/, 2],
      [['keys', 'show', 'key_nope'], /no API key with id/, 2],
      [['keys', 'rotate'], /pass the key id or --name NAME/, 2],
    ];
    for (const [args, msg, exit] of cases) {
      const r = await cli(home, args, { now: at(1) });
      assert.equal(r.code, exit, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, msg);
      assert.equal(r.stderr.trim().split('\n').length, 1);
      assert.equal(r.stdout, '');
    }
    assert.equal(await verify(home, k.key, at(2)), 'VALID', 'nothing changed');
    await cli(home, ['keys', 'revoke', k.id, '--yes'], { now: at(3) });
    const twice = await cli(home, ['--json', 'keys', 'revoke', k.id, '--reason', 'later'], { now: at(4) });
    assert.equal(twice.code, 0);
    const doc = JSON.parse(twice.stdout) as { revoked: boolean; key: { revokedAt: string; revokeReason: string | null } };
    assert.equal(doc.revoked, false);
    assert.equal(doc.key.revokedAt, at(3).toISOString(), 'the first revocation stands');
    const rot = await cli(home, ['keys', 'rotate', k.id], { now: at(5) });
    assert.equal(rot.code, 2);
    assert.match(rot.stderr, /is revoked: issue a new key/);
  } finally {
    cleanup();
  }
});

test('a home open to others is refused with the fix', async () => {
  const { home, cleanup } = await initHome();
  try {
    chmodSync(home, 0o755);
    for (const args of [['keys', 'list'], ['keys', 'issue', '--name', 'x']]) {
      const r = await cli(home, args);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /accessible by others \(mode 0755\): run chmod 700/);
    }
    chmodSync(home, 0o700);
  } finally {
    cleanup();
  }
});

test('a corrupt store or a missing master key is a one-line error; MALFORMED needs neither', async () => {
  const { writeFileSync, rmSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { home, cleanup } = await initHome();
  try {
    const k = await issue(home);
    const typo = `${k.key.slice(0, -1)}${k.key.endsWith('a') ? 'b' : 'a'}`;
    rmSync(join(home, 'master.key'));
    const noKey = await cli(home, ['keys', 'verify'], { stdin: k.key });
    assert.equal(noKey.code, 2);
    assert.match(noKey.stderr, /no master key in .*: run agentsec init/);
    const offline = await cli(home, ['keys', 'verify'], { stdin: typo });
    assert.equal(offline.code, 1);
    assert.equal(offline.stdout, 'MALFORMED\n');
    for (const f of ['agentsec.db-wal', 'agentsec.db-shm']) rmSync(join(home, f), { force: true });
    writeFileSync(join(home, 'agentsec.db'), 'this is not a database, just garbage bytes '.repeat(200), { mode: 0o600 });
    const corrupt = await cli(home, ['keys', 'list']);
    assert.equal(corrupt.code, 3);
    assert.match(corrupt.stderr, /^agentsec: store .* is corrupt \(SQLITE_NOTADB\)/);
    assert.equal(corrupt.stderr.trim().split('\n').length, 1);
  } finally {
    cleanup();
  }
});
