import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { generateApiKey } from '../../../src/core/apikeys/format.js';
import { run } from '../../../src/cli/main.js';
import { fakeIo } from '../../support/io.js';
import { cli, initHome, issue } from './helpers.js';

const T0 = new Date('2026-01-01T00:00:00Z');
const later = (ms: number) => new Date(T0.getTime() + ms);

test('every verify code through the CLI, exit 0 only for VALID', async () => {
  const { home, cleanup } = await initHome();
  try {
    const plain = await issue(home, ['--role', 'operator'], T0);
    const fenced = await issue(home, ['--allow-ip', '10.0.0.0/8', '--allow-ip', '2001:db8::/32'], T0);
    const expiring = await issue(home, ['--expires', '1h'], T0);
    const revoked = await issue(home, [], T0);
    assert.equal((await cli(home, ['keys', 'revoke', revoked.id, '--yes'], { now: T0 })).code, 0);
    const typo = plain.key.slice(0, 8) + (plain.key[8] === 'q' ? 'r' : 'q') + plain.key.slice(9);
    const unknown = generateApiKey('ask', (n) => randomBytes(n));
    const cases: Array<{ key: string; args?: string[]; now?: Date; code: string; exit: number; id?: string }> = [
      { key: plain.key, code: 'VALID', exit: 0, id: plain.id },
      { key: plain.key, args: ['--scope', 'memory:read', '--scope', 'message:inject'], code: 'VALID', exit: 0 },
      { key: plain.key, args: ['--scope', 'agent:control'], code: 'INSUFFICIENT_SCOPE', exit: 1, id: plain.id },
      { key: plain.key, args: ['--scope', 'secret:read'], code: 'INSUFFICIENT_SCOPE', exit: 1 },
      { key: typo, code: 'MALFORMED', exit: 1 },
      { key: unknown, code: 'NOT_FOUND', exit: 1 },
      { key: revoked.key, code: 'REVOKED', exit: 1, id: revoked.id },
      { key: expiring.key, now: later(3_600_000), code: 'EXPIRED', exit: 1, id: expiring.id },
      { key: expiring.key, now: later(3_599_999), code: 'VALID', exit: 0 },
      { key: fenced.key, code: 'FORBIDDEN_IP', exit: 1, id: fenced.id },
      { key: fenced.key, args: ['--ip', '192.168.1.1'], code: 'FORBIDDEN_IP', exit: 1 },
      { key: fenced.key, args: ['--ip', '10.200.0.1'], code: 'VALID', exit: 0 },
      { key: fenced.key, args: ['--ip', '::ffff:10.200.0.1'], code: 'VALID', exit: 0 },
      { key: fenced.key, args: ['--ip', '2001:DB8:0::9'], code: 'VALID', exit: 0 },
      { key: fenced.key, args: ['--ip', '2001:db9::9'], code: 'FORBIDDEN_IP', exit: 1 },
    ];
    for (const c of cases) {
      const r = await cli(home, ['--json', 'keys', 'verify', ...(c.args ?? [])], { stdin: `${c.key}\n`, now: c.now ?? T0 });
      const doc = JSON.parse(r.stdout) as { code: string; valid: boolean; key?: { id: string; name: string; role: string | null; scopes: string[] } };
      assert.equal(doc.code, c.code, `${c.code} ${(c.args ?? []).join(' ')}`);
      assert.equal(r.code, c.exit, `${c.code} exit`);
      assert.equal(doc.valid, c.exit === 0);
      if (c.id) assert.equal(doc.key?.id, c.id);
      assert.ok(!r.stdout.includes(c.key) && !r.stderr.includes(c.key), 'the key is never echoed');
    }
    // Plain text: the code first, then the key's facts.
    const text = await cli(home, ['keys', 'verify'], { stdin: plain.key, now: T0 });
    assert.equal(text.stdout.split('\n')[0], 'VALID');
    assert.match(text.stdout, new RegExp(`id\\t${plain.id}`));
    assert.match(text.stdout, /role\toperator/);
  } finally {
    cleanup();
  }
});

test('key sources: --key-file beats AGENTSEC_API_KEY beats stdin', async () => {
  const { home, cleanup } = await initHome();
  try {
    const a = await issue(home);
    const b = await issue(home);
    const file = join(home, '..', 'k.txt');
    writeFileSync(file, `${a.key}\n`);
    const viaFile = JSON.parse((await cli(home, ['--json', 'keys', 'verify', '--key-file', file], { stdin: b.key, env: { AGENTSEC_API_KEY: b.key } })).stdout) as { key: { id: string } };
    assert.equal(viaFile.key.id, a.id);
    const viaEnv = JSON.parse((await cli(home, ['--json', 'keys', 'verify'], { stdin: a.key, env: { AGENTSEC_API_KEY: b.key } })).stdout) as { key: { id: string } };
    assert.equal(viaEnv.key.id, b.id);
    const crlf = await cli(home, ['keys', 'verify'], { stdin: `${a.key}\r\n` });
    assert.equal(crlf.code, 0);
  } finally {
    cleanup();
  }
});

test('verify bad input: exit 2, one line, the key never echoed', async () => {
  const { home, cleanup } = await initHome();
  try {
    const { key } = await issue(home);
    const cases: Array<{ stdin?: string; args?: string[]; msg: RegExp; exit?: number }> = [
      { stdin: '', msg: /the API key from stdin is empty/ },
      { stdin: '\n', msg: /the API key from stdin is empty/ },
      { stdin: ` ${key}`, msg: /has whitespace around it/ },
      { stdin: `${key} \n`, msg: /has whitespace around it/ },
      { stdin: `${key}\n\n`, msg: /has whitespace around it/ },
      { stdin: 'sk-proj-0123456789abcdef', msg: /not in agentsec format/ },
      { stdin: `${key}\n${key}`, msg: /not in agentsec format/ },
      { stdin: key, args: ['--ip', '10.0.0.300'], msg: /--ip: '10.0.0.300' is not an IPv4 or IPv6 address/ },
      { stdin: key, args: ['--ip', '10.0.0.0/8'], msg: /--ip: .* is not an IPv4/ },
      { stdin: key, args: ['--scope', 'memory'], msg: /--scope: 'memory' is not a permission/ },
      { stdin: key, args: ['--key-file', '/nonexistent/agentsec-key'], msg: /cannot read key file \/nonexistent\/agentsec-key: no such file/, exit: 2 },
    ];
    for (const c of cases) {
      const r = await cli(home, ['keys', 'verify', ...(c.args ?? [])], { stdin: c.stdin ?? '' });
      assert.equal(r.code, c.exit ?? 2, `${String(c.msg)}: ${r.stderr}`);
      assert.match(r.stderr, c.msg);
      assert.equal(r.stderr.trim().split('\n').length, 1);
      assert.equal(r.stdout, '');
      assert.ok(!r.stderr.includes(key));
    }
  } finally {
    cleanup();
  }
});

test('unreadable key file is a one-line error', async (t) => {
  if (process.getuid?.() === 0) return t.skip('root reads everything');
  const { home, cleanup } = await initHome();
  try {
    const { key } = await issue(home);
    const file = join(home, '..', 'locked.key');
    writeFileSync(file, key);
    chmodSync(file, 0o000);
    const r = await cli(home, ['keys', 'verify', '--key-file', file]);
    assert.equal(r.code, 3);
    assert.match(r.stderr, /cannot read key file .*permission denied/);
    assert.ok(!r.stderr.includes(key));
  } finally {
    cleanup();
  }
});

test('verify updates last-used at most once a minute', async () => {
  const { home, cleanup } = await initHome();
  try {
    const { key, id } = await issue(home, [], T0);
    const lastUsed = async () => (JSON.parse((await cli(home, ['--json', 'keys', 'show', id])).stdout) as { key: { lastUsedAt: string | null } }).key.lastUsedAt;
    assert.equal(await lastUsed(), null);
    await cli(home, ['keys', 'verify'], { stdin: key, now: later(1000) });
    assert.equal(await lastUsed(), later(1000).toISOString());
    await cli(home, ['keys', 'verify'], { stdin: key, now: later(30_000) });
    assert.equal(await lastUsed(), later(1000).toISOString());
    await cli(home, ['keys', 'verify'], { stdin: key, now: later(61_000) });
    assert.equal(await lastUsed(), later(61_000).toISOString());
  } finally {
    cleanup();
  }
});

test('on a terminal the key is asked for with a masked prompt, never read from an echoing stdin', async () => {
  const { home, cleanup } = await initHome();
  try {
    const a = await issue(home);
    const asked: string[] = [];
    const io = fakeIo({ stdin: 'not this', stdinTTY: true });
    const code = await run(['--home', home, '--json', 'keys', 'verify'], io, { ctxOverrides: { prompt: async (message) => (asked.push(message), a.key) } });
    assert.equal(code, 0, io.err());
    assert.deepEqual(asked, ['API key:']);
    assert.equal((JSON.parse(io.out()) as { key: { id: string } }).key.id, a.id);
    assert.ok(!io.out().includes(a.key) && !io.err().includes(a.key), 'the key is never printed');
    const empty = fakeIo({ stdinTTY: true });
    assert.equal(await run(['--home', home, 'keys', 'verify'], empty, { ctxOverrides: { prompt: async () => '' } }), 2);
    assert.match(empty.err(), /empty API key/);
  } finally {
    cleanup();
  }
});
