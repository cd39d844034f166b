import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { getValue, parseEnv } from '../../../src/core/secrets/env-file.js';
import { DAY, sandbox, type Sandbox } from './helpers.js';

let sb: Sandbox;
beforeEach(async () => {
  sb = await sandbox();
});
afterEach(() => sb.cleanup());

interface StatusDoc {
  ok: boolean;
  secrets: Array<{ name: string; state: string; overdue: boolean; weak: boolean; reasons: string[]; tracked: boolean; changedOutsideAgentsec: boolean | null; ageMs: number | null }>;
}

describe('secret status', () => {
  it('reports age, turns overdue after --max-age, exit 1', async () => {
    sb.write('.env', 'JWT_SECRET=x\n');
    assert.equal((await sb.cli(['secret', 'rotate', 'JWT_SECRET', '--dotenv', '.env'])).code, 0);
    sb.now = new Date(sb.now.getTime() + 10 * DAY);
    const fresh = await sb.cli(['secret', 'status', '--json']);
    assert.equal(fresh.code, 0, fresh.err);
    const d1 = JSON.parse(fresh.out) as StatusDoc;
    assert.equal(d1.secrets[0]?.state, 'ok');
    assert.equal(d1.secrets[0]?.ageMs, 10 * DAY);
    assert.equal(d1.secrets[0]?.changedOutsideAgentsec, false);
    sb.now = new Date(sb.now.getTime() + 25 * DAY);
    const late = await sb.cli(['secret', 'status', '--json']);
    assert.equal(late.code, 1);
    assert.equal((JSON.parse(late.out) as StatusDoc).secrets[0]?.state, 'overdue');
    assert.equal((await sb.cli(['secret', 'status', '--max-age', '90d'])).code, 0);
  });

  it('flags template defaults and weak values in --dotenv, and hand edits', async () => {
    sb.write('.env', 'JWT_SECRET=your-super-secret-jwt-key-change-in-production\nWS_AUTH_TOKEN=abc\nSESSION_SECRET=q\nPORT=3000\n');
    assert.equal((await sb.cli(['secret', 'rotate', 'SESSION_SECRET', '--dotenv', '.env'])).code, 0);
    const r = await sb.cli(['secret', 'status', '--dotenv', '.env', '--json']);
    assert.equal(r.code, 1);
    const doc = JSON.parse(r.out) as StatusDoc;
    const byName = new Map(doc.secrets.map((s) => [s.name, s]));
    assert.deepEqual([...byName.keys()].sort(), ['JWT_SECRET', 'SESSION_SECRET', 'WS_AUTH_TOKEN']);
    assert.ok(byName.get('JWT_SECRET')?.reasons.includes('known-default'));
    assert.equal(byName.get('JWT_SECRET')?.tracked, false);
    assert.equal(byName.get('WS_AUTH_TOKEN')?.state, 'weak');
    assert.equal(byName.get('SESSION_SECRET')?.state, 'ok');
    assert.ok(!r.out.includes('your-super-secret'), 'values are never printed');
    // A hand edit is noticed through the fingerprint.
    const text = sb.read('.env');
    const value = getValue(parseEnv(text), 'SESSION_SECRET') as string;
    sb.write('.env', text.replace(value, `${value.slice(0, -1)}Z`));
    const edited = JSON.parse((await sb.cli(['secret', 'status', '--json'])).out) as StatusDoc;
    assert.equal(edited.secrets[0]?.changedOutsideAgentsec, true);
  });

  it('--dotenv reports only secrets: settings of secret features are not weak secrets (cron stays at exit 0)', async () => {
    const strong = 'Kp3xR9vT2mQ7wZ4nB8yL1cF6hJ0sD5gA';
    sb.write('.env', [
      `JWT_SECRET=${strong}`,
      `OAUTH_CLIENT_SECRET=${strong}x`,
      `REDIS_AUTH=${strong}y`,
      'PASSWORD_MIN_LENGTH=12',
      'PASSWORD_HASH_ALGORITHM=argon2id',
      'OAUTH_ENABLED=true',
      'WEBUI_AUTH=False',
      'JWT_TOKEN_EXPIRY_IN_MINUTES=360',
      'SESSION_TIMEOUT_HOURS=24',
      'KOBOLD_CPP_MAX_TOKENS=2048',
      'SSL_KEY_PATH=/etc/ssl/private/agent.key',
      'AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE',
      'NEXTAUTH_URL=https://agent.example.com',
      'CORS_ALLOW_CREDENTIALS=false',
      '',
    ].join('\n'));
    const r = await sb.cli(['secret', 'status', '--dotenv', '.env', '--json']);
    assert.equal(r.code, 0, r.out);
    assert.deepEqual((JSON.parse(r.out) as StatusDoc).secrets.map((x) => x.name), ['JWT_SECRET', 'OAUTH_CLIENT_SECRET', 'REDIS_AUTH']);
    sb.write('.env', `${sb.read('.env')}DB_PASSWORD=12345678\n`);
    const weak = await sb.cli(['secret', 'status', '--dotenv', '.env', '--json']);
    assert.equal(weak.code, 1, 'a weak password is still found');
    assert.deepEqual((JSON.parse(weak.out) as StatusDoc).secrets.filter((x) => x.weak).map((x) => x.name), ['DB_PASSWORD']);
  });

  it('prints a table when piped and a note when nothing is tracked', async () => {
    const empty = await sb.cli(['secret', 'status']);
    assert.equal(empty.code, 0);
    assert.match(empty.err, /no tracked secrets/);
    sb.write('.env', 'A_SECRET=1\n');
    await sb.cli(['secret', 'rotate', 'A_SECRET', '--dotenv', '.env']);
    const r = await sb.cli(['secret', 'status']);
    assert.match(r.out, /^A_SECRET\t.*\.env\t0s\t2026-01-01T00:00:00.000Z\tok\t$/m);
  });

  it('never reads a tracked file through a symlink or a hard link swapped in for it', async () => {
    const fs = await import('node:fs');
    const { join } = await import('node:path');
    const strong = 'Kp3xR9vT2mQ7wZ4nB8yL1cF6hJ0sD5gA';
    for (const swap of ['symlink', 'hard link'] as const) {
      sb.write('.env', `API_TOKEN=${strong}\n`);
      assert.equal((await sb.cli(['secret', 'rotate', 'API_TOKEN', '--dotenv', '.env'])).code, 0);
      // Another file with the same name in it, whose value would be reported (weak) if it were read.
      const other = sb.write('other.env', 'API_TOKEN=changeme\n');
      fs.rmSync(join(sb.dir, '.env'));
      if (swap === 'symlink') fs.symlinkSync(other, join(sb.dir, '.env'));
      else fs.linkSync(other, join(sb.dir, '.env'));
      const r = await sb.cli(['secret', 'status', '--json']);
      const row = (JSON.parse(r.out) as StatusDoc).secrets.find((x) => x.name === 'API_TOKEN');
      assert.equal(row?.state, 'missing', swap);
      assert.deepEqual(row?.reasons, [], swap);
      fs.rmSync(join(sb.dir, '.env'));
    }
  });

  it('reports a vanished file as missing and refuses bad flags', async () => {
    const p = sb.write('.env', 'A_SECRET=1\n');
    await sb.cli(['secret', 'rotate', 'A_SECRET', '--dotenv', '.env']);
    (await import('node:fs')).unlinkSync(p);
    const r = await sb.cli(['secret', 'status', '--json']);
    assert.equal((JSON.parse(r.out) as StatusDoc).secrets[0]?.state, 'missing');
    const bad = await sb.cli(['secret', 'status', '--max-age', 'forever']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--max-age: invalid duration/);
    const missing = await sb.cli(['secret', 'status', '--dotenv', 'gone.env']);
    assert.equal(missing.code, 2);
    sb.write('broken.env', 'A=1\n!!!\n');
    const broken = await sb.cli(['secret', 'status', '--dotenv', 'broken.env']);
    assert.equal(broken.code, 2);
    assert.match(broken.err, /line 2/);
  });
});

describe('secret check', () => {
  it('passes a generated secret and fails a template default, never echoing it', async () => {
    const gen = await sb.cli(['secret', 'generate']);
    const value = gen.out.trim();
    const ok = await sb.cli(['secret', 'check', '--json'], { stdin: `${value}\n` });
    assert.equal(ok.code, 0);
    const doc = JSON.parse(ok.out) as { length: number; weak: boolean; entropyBits: number };
    assert.equal(doc.length, 43);
    assert.equal(doc.weak, false);
    assert.ok(!ok.out.includes(value) && !ok.err.includes(value));
    const weak = await sb.cli(['secret', 'check'], { stdin: 'your-super-secret-jwt-key-change-in-production' });
    assert.equal(weak.code, 1);
    assert.match(weak.out, /known default\tyes/);
    assert.ok(!weak.out.includes('your-super') && !weak.err.includes('your-super'));
  });
  it('refuses empty stdin', async () => {
    const r = await sb.cli(['secret', 'check'], { stdin: '' });
    assert.equal(r.code, 2);
    assert.match(r.err, /no secret on stdin/);
  });
});

describe('secret generate', () => {
  it('prints --count distinct values in the encoding', async () => {
    const r = await sb.cli(['secret', 'generate', '--count', '5', '--encoding', 'hex', '--bytes', '16']);
    assert.equal(r.code, 0);
    const lines = r.out.trim().split('\n');
    assert.equal(lines.length, 5);
    assert.equal(new Set(lines).size, 5);
    for (const l of lines) assert.match(l, /^[0-9a-f]{32}$/);
    const json = JSON.parse((await sb.cli(['secret', 'generate', '--json', '--encoding', 'alnum'])).out) as { values: string[] };
    assert.match(json.values[0] ?? '', /^[A-Za-z0-9]{43}$/);
  });
  it('refuses fewer than 16 bytes unless --allow-weak, and bad numbers', async () => {
    const weak = await sb.cli(['secret', 'generate', '--bytes', '8']);
    assert.equal(weak.code, 2);
    assert.match(weak.err, /--allow-weak/);
    const allowed = await sb.cli(['secret', 'generate', '--bytes', '8', '--allow-weak']);
    assert.equal(allowed.code, 0);
    assert.match(allowed.out, /^[A-Za-z0-9_-]{11}\n$/);
    for (const args of [['--count', '0'], ['--count', 'x'], ['--bytes', '-1'], ['--bytes', '99999'], ['--encoding', 'base32']]) {
      const r = await sb.cli(['secret', 'generate', ...args]);
      assert.equal(r.code, 2, args.join(' '));
      assert.equal(r.err.trim().split('\n').length, 1);
    }
  });
});
