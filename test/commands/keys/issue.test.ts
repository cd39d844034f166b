import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseApiKey } from '../../../src/core/apikeys/format.js';
import { cli, initHome, issue } from './helpers.js';

test('issue prints the key once on stdout and nothing secret on stderr', async () => {
  const { home, cleanup } = await initHome();
  try {
    const r = await cli(home, ['keys', 'issue', '--name', 'ci', '--role', 'admin', '--scope', 'memory:*', '--expires', '90d', '--allow-ip', '10.0.0.0/8', '--allow-ip', '::ffff:192.168.0.0/112', '--meta', 'team=infra']);
    assert.equal(r.code, 0, r.stderr);
    const key = r.stdout.trim();
    assert.ok(parseApiKey(key).ok);
    assert.match(key, /^ask_/);
    assert.ok(!r.stderr.includes(key));
    assert.match(r.stderr, /issued API key key_/);
    const show = await cli(home, ['--json', 'keys', 'list']);
    const doc = JSON.parse(show.stdout) as { keys: Array<Record<string, unknown>> };
    assert.equal(doc.keys.length, 1);
    const k = doc.keys[0]!;
    assert.equal(k['name'], 'ci');
    assert.equal(k['role'], 'admin');
    assert.deepEqual(k['scopes'], ['memory:*']);
    assert.deepEqual(k['allowIps'], ['10.0.0.0/8', '192.168.0.0/16']);
    assert.deepEqual(k['meta'], { team: 'infra' });
    assert.equal(k['display'], `ask_…${key.slice(-4)}`);
  } finally {
    cleanup();
  }
});

test('defaults: viewer role, no expiry; scopes alone give no role; custom prefix', async () => {
  const { home, cleanup } = await initHome();
  try {
    const now = new Date('2026-01-01T00:00:00Z');
    await issue(home, [], now);
    await issue(home, ['--scope', 'memory:read'], new Date(now.getTime() + 1));
    const { key } = await issue(home, ['--prefix', 'agt'], new Date(now.getTime() + 2));
    assert.match(key, /^agt_/);
    const doc = JSON.parse((await cli(home, ['--json', 'keys', 'list'], { now })).stdout) as { keys: Array<{ role: string | null; expiresAt: string | null; scopes: string[] }> };
    assert.deepEqual(doc.keys.map((k) => k.role), ['viewer', null, 'viewer']);
    assert.deepEqual(doc.keys.map((k) => k.expiresAt), [null, null, null]);
    const dated = JSON.parse((await cli(home, ['--json', 'keys', 'issue', '--name', 'x', '--expires', '2026-03-01'], { now })).stdout) as { expiresAt: string };
    assert.equal(dated.expiresAt, '2026-03-01T00:00:00.000Z');
    const dur = JSON.parse((await cli(home, ['--json', 'keys', 'issue', '--name', 'x', '--expires', '36h'], { now })).stdout) as { expiresAt: string };
    assert.equal(dur.expiresAt, '2026-01-02T12:00:00.000Z');
  } finally {
    cleanup();
  }
});

test('bad input: exit 2, one line, no stack, nothing written', async () => {
  const { home, cleanup } = await initHome();
  try {
    const now = new Date('2026-01-01T00:00:00Z');
    const cases: Array<[string[], RegExp]> = [
      [[], /--name: is required/],
      [['--name', ''], /--name: must not be empty/],
      [['--name', '   '], /--name: must not be empty/],
      [['--name', 'a\u0007b'], /--name: must not contain control/],
      [['--name', 'x', '--role', 'root'], /--role: unknown role 'root': use one of viewer, operator, admin, owner/],
      [['--name', 'x', '--scope', 'memory'], /--scope: is not resource:action/],
      [['--name', 'x', '--scope', 'memory:read', '--scope', 'BAD:x'], /--scope: is not resource:action/],
      [['--name', 'x', '--expires', '2025-12-31'], /--expires: '2025-12-31' is not in the future/],
      [['--name', 'x', '--expires', '0s'], /--expires: '0s' is not in the future/],
      [['--name', 'x', '--expires', 'soon'], /--expires: 'soon' is neither a duration/],
      [['--name', 'x', '--expires', '2026-02-30'], /--expires: '2026-02-30' is neither/],
      [['--name', 'x', '--allow-ip', '10.0.0.1/8'], /--allow-ip: '10.0.0.1\/8' has host bits set: did you mean 10.0.0.0\/8\?/],
      [['--name', 'x', '--allow-ip', 'example.com'], /--allow-ip: 'example.com' is not an IP address/],
      [['--name', 'x', '--allow-ip', '10.0.0.0/40'], /--allow-ip: .*invalid prefix length/],
      [['--name', 'x', '--prefix', 'A_B'], /--prefix: must be 2-16 lower-case/],
      [['--name', 'x', '--meta', 'novalue'], /--meta: 'novalue' is not key=value/],
      [['--name', 'x', '--meta', 'k=\u0001'], /--meta: the value of 'k'/],
    ];
    for (const [args, msg] of cases) {
      const r = await cli(home, ['keys', 'issue', ...args], { now });
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stdout, '', args.join(' '));
      assert.match(r.stderr, msg, args.join(' '));
      assert.equal(r.stderr.trim().split('\n').length, 1, args.join(' '));
      assert.ok(!/\bat .*\.js:\d+/.test(r.stderr), 'no stack trace');
    }
    const list = JSON.parse((await cli(home, ['--json', 'keys', 'list', '--all'])).stdout) as { keys: unknown[] };
    assert.equal(list.keys.length, 0, 'nothing half-written');
  } finally {
    cleanup();
  }
});

test('the plaintext key is nowhere in the home, and its body is not either', async () => {
  const { home, cleanup } = await initHome();
  try {
    const keys: string[] = [];
    for (let i = 0; i < 5; i++) keys.push((await issue(home, ['--meta', `n=${i}`])).key);
    const rotated = await cli(home, ['keys', 'rotate', (JSON.parse((await cli(home, ['--json', 'keys', 'list'])).stdout) as { keys: Array<{ id: string }> }).keys[0]!.id]);
    keys.push(rotated.stdout.trim());
    // Every file in the home, the audit chain's key directory included.
    const files = readdirSync(home, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => join(d.parentPath ?? d.path, d.name));
    const blobs = files.map((f) => readFileSync(f));
    assert.ok(blobs.some((b) => b.length > 0));
    for (const key of keys) {
      const body = key.split('_')[1] as string;
      for (const b of blobs) {
        assert.equal(b.indexOf(Buffer.from(key)), -1, 'full key absent');
        assert.equal(b.indexOf(Buffer.from(body)), -1, 'body absent');
        assert.equal(b.indexOf(Buffer.from(body.slice(0, 16))), -1, 'no part of the body');
      }
    }
  } finally {
    cleanup();
  }
});

test('issue without init is a usage error naming the fix', async () => {
  const { tempDir } = await import('../../support/cli.js');
  const t = tempDir();
  try {
    const r = await cli(join(t.dir, 'none'), ['keys', 'issue', '--name', 'x']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /run agentsec init/);
  } finally {
    t.cleanup();
  }
});
