import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { getValue, parseEnv } from '../../../src/core/secrets/env-file.js';
import { DAY, sandbox, type Sandbox } from './helpers.js';

const OLD = 'Kp3xR9vT2mQ7wZ4nB8yL1cF6hJ0sD5gA';
const AWKWARD = `# agent config\r\nexport JWT_SECRET="${OLD}" # signing key\r\nDB_URL=postgres://u:p@db/app?sslmode=require\r\n\r\n  SESSION_SECRET='${OLD}x'\r\nJWT_SECRET="${OLD}"\r\nPORT=3000`;

let sb: Sandbox;
beforeEach(async () => {
  sb = await sandbox();
});
afterEach(() => sb.cleanup());

function valueOf(file: string, name: string): string | undefined {
  return getValue(parseEnv(sb.read(file)), name);
}

describe('secret rotate --dotenv', () => {
  it('rewrites only the value, keeps the previous one, records a fingerprint, leaks nothing', async () => {
    sb.write('.env', AWKWARD, 0o644);
    const r = await sb.cli(['secret', 'rotate', 'JWT_SECRET', '--dotenv', '.env', '--json']);
    assert.equal(r.code, 0, r.err);
    const text = sb.read('.env');
    const fresh = valueOf('.env', 'JWT_SECRET') as string;
    assert.match(fresh, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(
      text,
      `# agent config\r\nexport JWT_SECRET="${fresh}" # signing key\r\nDB_URL=postgres://u:p@db/app?sslmode=require\r\n\r\n  SESSION_SECRET='${OLD}x'\r\nJWT_SECRET="${fresh}"\r\nJWT_SECRET_PREVIOUS="${OLD}"\r\nPORT=3000`,
    );
    assert.equal(fs.statSync(join(sb.dir, '.env')).mode & 0o777, 0o600);
    const doc = JSON.parse(r.out) as { secrets: Array<{ name: string; action: string; previous: string; fingerprint: string; occurrences: number }> };
    assert.equal(doc.secrets[0]?.action, 'rotated');
    assert.equal(doc.secrets[0]?.previous, 'kept');
    assert.equal(doc.secrets[0]?.occurrences, 2);
    assert.match(doc.secrets[0]?.fingerprint ?? '', /^[0-9a-f]{16}$/);
    for (const where of [r.out, r.err, sb.storeBytes()]) {
      assert.ok(!where.includes(fresh), 'new value leaked');
      assert.ok(!where.includes(OLD), 'old value leaked');
    }
  });

  it('skips with --if-older-than, rotates once old enough, drops the previous after --grace', async () => {
    sb.write('.env', `A=${OLD}\n`);
    assert.equal((await sb.cli(['secret', 'rotate', 'A', '--dotenv', '.env'])).code, 0);
    const first = sb.read('.env');
    sb.now = new Date(sb.now.getTime() + 12 * 3_600_000);
    const early = await sb.cli(['secret', 'rotate', 'A', '--dotenv', '.env', '--if-older-than', '30d', '--grace', '24h']);
    assert.equal(early.code, 0);
    assert.equal(sb.read('.env'), first, 'nothing changes within the grace');
    assert.match(early.err, /not rotated/);
    sb.now = new Date(sb.now.getTime() + 2 * DAY);
    const graceOver = await sb.cli(['secret', 'rotate', 'A', '--dotenv', '.env', '--if-older-than', '30d', '--grace', '24h']);
    assert.equal(graceOver.code, 0, graceOver.err);
    assert.equal(sb.read('.env'), first.replace(/A_PREVIOUS=.*\n/, ''));
    sb.now = new Date(sb.now.getTime() + 30 * DAY);
    const due = await sb.cli(['secret', 'rotate', 'A', '--dotenv', '.env', '--if-older-than', '30d', '--grace', '24h']);
    assert.equal(due.code, 0);
    assert.notEqual(valueOf('.env', 'A'), getValue(parseEnv(first), 'A'));
    assert.equal(valueOf('.env', 'A_PREVIOUS'), getValue(parseEnv(first), 'A'));
  });

  it('--dry-run changes nothing, records nothing and runs no --then', async () => {
    const path = sb.write('.env', `A=${OLD}\n`);
    const before = fs.statSync(path);
    const r = await sb.cli(['secret', 'rotate', 'A', '--dotenv', '.env', '--dry-run', '--json', '--then', 'touch then-ran']);
    assert.equal(r.code, 0, r.err);
    assert.equal(sb.read('.env'), `A=${OLD}\n`);
    assert.equal(fs.statSync(path).mtimeMs, before.mtimeMs);
    assert.ok(!fs.existsSync(join(sb.dir, 'then-ran')));
    const doc = JSON.parse(r.out) as { changed: boolean; written: boolean; then: { wouldRun: boolean } };
    assert.deepEqual([doc.changed, doc.written, doc.then.wouldRun], [true, false, true]);
    const status = await sb.cli(['secret', 'status', '--json']);
    assert.deepEqual((JSON.parse(status.out) as { secrets: unknown[] }).secrets, []);
  });

  it('--create adds an absent name; without it the file is untouched and exit is 2', async () => {
    sb.write('.env', 'A=1');
    const refused = await sb.cli(['secret', 'rotate', 'NEW_TOKEN', '--dotenv', '.env']);
    assert.equal(refused.code, 2);
    assert.match(refused.err, /^agentsec: NEW_TOKEN not found in the env file: pass --create/);
    assert.equal(sb.read('.env'), 'A=1');
    const created = await sb.cli(['secret', 'rotate', 'NEW_TOKEN', '--dotenv', '.env', '--create']);
    assert.equal(created.code, 0, created.err);
    assert.match(sb.read('.env'), /^A=1\nNEW_TOKEN=[A-Za-z0-9_-]{43}$/);
  });

  it('--no-keep-previous keeps no old value', async () => {
    sb.write('.env', `A=${OLD}\n`);
    assert.equal((await sb.cli(['secret', 'rotate', 'A', '--dotenv', '.env', '--no-keep-previous'])).code, 0);
    assert.ok(!sb.read('.env').includes(OLD));
    assert.ok(!sb.read('.env').includes('A_PREVIOUS'));
  });

  it('--then runs after a write and its failure is exit 3 with the rotation kept', async () => {
    sb.write('.env', `A=${OLD}\n`);
    const ok = await sb.cli(['secret', 'rotate', 'A', '--dotenv', '.env', '--then', 'echo reloaded']);
    assert.equal(ok.code, 0);
    assert.match(ok.err, /reloaded/);
    assert.equal(ok.out, '');
    const bad = await sb.cli(['secret', 'rotate', 'A', '--dotenv', '.env', '--then', 'exit 7', '--json']);
    assert.equal(bad.code, 3);
    assert.equal((JSON.parse(bad.out) as { then: { exitCode: number } }).then.exitCode, 7);
    assert.match(bad.err, /--then command failed \(exit 7\)/);
    assert.ok(!sb.read('.env').includes(OLD), 'the rotation itself is kept');
  });

  it('writes a file that a shell can source: nothing runs and the values are the ones a dotenv reader sees', async (t) => {
    if (!fs.existsSync('/bin/sh')) return t.skip('no /bin/sh');
    sb.write('.env', "KEY= # comment\nBQ=`touch pwned`\nOLD_SUBST=\"$(touch pwned)\"\n");
    const r = await sb.cli(['secret', 'rotate', 'KEY', 'BQ', 'OLD_SUBST', '--dotenv', '.env', '--encoding', 'base64']);
    assert.equal(r.code, 0, r.err);
    const text = sb.read('.env');
    const { spawnSync } = await import('node:child_process');
    const sh = spawnSync('/bin/sh', ['-c', '. ./.env; printf "%s\\n" "$KEY" "$BQ" "$BQ_PREVIOUS" "$OLD_SUBST" "$OLD_SUBST_PREVIOUS"'], { cwd: sb.dir, env: { PATH: '/usr/bin:/bin', HOME: sb.dir }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    assert.equal(sh.stderr, '', text);
    assert.ok(!fs.existsSync(join(sb.dir, 'pwned')), 'the shell ran a command');
    const doc = parseEnv(text);
    assert.deepEqual(sh.stdout.split('\n').slice(0, 5), ['KEY', 'BQ', 'BQ_PREVIOUS', 'OLD_SUBST', 'OLD_SUBST_PREVIOUS'].map((n) => getValue(doc, n)));
    assert.equal(getValue(doc, 'OLD_SUBST_PREVIOUS'), '$(touch pwned)');
  });

  it('rotates the target of a symlink inside the directory and keeps the link', async () => {
    sb.write('real.env', `A=${OLD}\n`);
    fs.symlinkSync('real.env', join(sb.dir, 'link.env'));
    assert.equal((await sb.cli(['secret', 'rotate', 'A', '--dotenv', 'link.env'])).code, 0);
    assert.ok(fs.lstatSync(join(sb.dir, 'link.env')).isSymbolicLink());
    assert.notEqual(valueOf('real.env', 'A'), OLD);
  });
});

describe('secret rotate keeps a mode stricter than 0600 and never loosens one', () => {
  // [mode before, mode after, warned]: group and other bits (and x) are dropped, owner-only modes are kept as they are.
  const cases: Array<[number, number, boolean]> = [
    [0o400, 0o400, false],
    [0o600, 0o600, false],
    [0o200, 0o200, false],
    [0o640, 0o600, true],
    [0o644, 0o600, true],
    [0o444, 0o400, true],
    [0o700, 0o600, true],
    [0o666, 0o600, true],
  ];
  for (const [before, after, warned] of cases) {
    const m = (n: number) => n.toString(8).padStart(4, '0');
    it(`--dotenv ${m(before)} -> ${m(after)}`, async (t) => {
      if (!(before & 0o400) && process.getuid?.() !== 0) return t.skip('only root reads a file without its owner read bit');
      sb.write('.env', `A=${OLD}\n`, before);
      const r = await sb.cli(['secret', 'rotate', 'A', '--dotenv', '.env']);
      assert.equal(r.code, 0, r.err);
      assert.equal(fs.statSync(join(sb.dir, '.env')).mode & 0o7777, after);
      assert.equal(/had mode/.test(r.err), warned, r.err);
      if (warned) assert.match(r.err, new RegExp(`had mode ${m(before)}; it is now ${m(after)}`));
    });
  }

  it('--secret-file 0400: the file and FILE.previous stay 0400', async () => {
    sb.write('db_password', `${OLD}\n`, 0o400);
    const r = await sb.cli(['secret', 'rotate', '--secret-file', 'db_password']);
    assert.equal(r.code, 0, r.err);
    assert.equal(fs.statSync(join(sb.dir, 'db_password')).mode & 0o777, 0o400);
    assert.equal(fs.statSync(join(sb.dir, 'db_password.previous')).mode & 0o777, 0o400);
    assert.doesNotMatch(r.err, /had mode/);
  });
});

describe('secret rotate --secret-file', () => {
  it('rotates the value, keeps FILE.previous (0600) and the final newline', async () => {
    sb.write('db_password', `${OLD}\n`, 0o640);
    const r = await sb.cli(['secret', 'rotate', '--secret-file', 'db_password']);
    assert.equal(r.code, 0, r.err);
    assert.match(sb.read('db_password'), /^[A-Za-z0-9_-]{43}\n$/);
    assert.equal(sb.read('db_password.previous'), `${OLD}\n`);
    assert.equal(fs.statSync(join(sb.dir, 'db_password.previous')).mode & 0o777, 0o600);
    assert.equal(fs.statSync(join(sb.dir, 'db_password')).mode & 0o777, 0o600);
    assert.match(r.err, /had mode 0640/);
    const status = JSON.parse((await sb.cli(['secret', 'status', '--json'])).out) as { secrets: Array<{ name: string; kind: string; state: string }> };
    assert.deepEqual(status.secrets.map((s) => [s.name, s.kind, s.state]), [['db_password', 'secret-file', 'ok']]);
    sb.now = new Date(sb.now.getTime() + 2 * DAY);
    const drop = await sb.cli(['secret', 'rotate', '--secret-file', 'db_password', '--if-older-than', '30d', '--grace', '1d']);
    assert.equal(drop.code, 0, drop.err);
    assert.ok(!fs.existsSync(join(sb.dir, 'db_password.previous')));
    assert.ok(!sb.storeBytes().includes(OLD));
  });
});

describe('secret rotate: bad input leaves the file untouched', () => {
  const cases: Array<{ name: string; file?: [string, string]; args: string[]; code: number; msg: RegExp }> = [
    { name: 'missing file', args: ['A', '--dotenv', 'nope.env'], code: 2, msg: /cannot read .*nope\.env: no such file/ },
    { name: 'bad syntax names the line', file: ['.env', 'A=1\nthis is wrong\n'], args: ['A', '--dotenv', '.env'], code: 2, msg: /line 2: expected NAME=value/ },
    { name: 'unterminated quote', file: ['.env', 'A="1\nB=2\n'], args: ['A', '--dotenv', '.env'], code: 2, msg: /line 1: unterminated/ },
    { name: 'invalid name', file: ['.env', 'A=1\n'], args: ['1A', '--dotenv', '.env'], code: 2, msg: /'1A' is not a valid variable name/ },
    { name: 'name with a dash', file: ['.env', 'A=1\n'], args: ['A-B', '--dotenv', '.env'], code: 2, msg: /not a valid variable name/ },
    { name: 'multi-line secrets file', file: ['s', 'a\nb\n'], args: ['--secret-file', 's'], code: 2, msg: /more than one line/ },
    { name: 'no file flag', args: ['A'], code: 2, msg: /exactly one of --dotenv/ },
    { name: 'the file given where a NAME goes', file: ['.env', 'A=1\n'], args: ['.env', 'A'], code: 2, msg: /'\.env' is not a variable name: pass the file as --dotenv \.env/ },
    { name: 'both file flags', file: ['s', 'x'], args: ['--dotenv', 's', '--secret-file', 's'], code: 2, msg: /exactly one of/ },
    { name: 'no name', file: ['.env', 'A=1\n'], args: ['--dotenv', '.env'], code: 2, msg: /at least one NAME/ },
    { name: 'too few bytes', file: ['.env', 'A=1\n'], args: ['A', '--dotenv', '.env', '--bytes', '8'], code: 2, msg: /--bytes 8 is below 16/ },
    { name: 'bad encoding', file: ['.env', 'A=1\n'], args: ['A', '--dotenv', '.env', '--encoding', 'rot13'], code: 2, msg: /--encoding/ },
    { name: 'bad duration', file: ['.env', 'A=1\n'], args: ['A', '--dotenv', '.env', '--if-older-than', 'soon'], code: 2, msg: /--if-older-than: invalid duration/ },
    { name: 'a directory', args: ['A', '--dotenv', '.'], code: 2, msg: /is a directory/ },
    { name: 'not utf-8', file: ['.env', 'A=\u00ff\n'], args: ['A', '--dotenv', '.env'], code: 2, msg: /not valid UTF-8/ },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      if (c.file) {
        const [name, text] = c.file;
        if (c.name === 'not utf-8') fs.writeFileSync(join(sb.dir, name), Buffer.from([0x41, 0x3d, 0xff, 0x0a]), { mode: 0o600 });
        else sb.write(name, text);
      }
      const before = c.file ? fs.readFileSync(join(sb.dir, c.file[0])) : undefined;
      const r = await sb.cli(['secret', 'rotate', ...c.args]);
      assert.equal(r.code, c.code, r.err);
      assert.match(r.err, c.msg);
      assert.equal(r.err.trim().split('\n').length, 1, `one line: ${r.err}`);
      assert.ok(!/\n\s+at /.test(r.err), 'no stack trace');
      if (c.file && before) assert.deepEqual(fs.readFileSync(join(sb.dir, c.file[0])), before);
      assert.deepEqual(fs.readdirSync(sb.dir).filter((n) => n.includes('.tmp-')), [], 'no temp file left');
    });
  }

  it('a symlink pointing outside its directory', async () => {
    const outside = sb.write('outside.env', 'A=1\n');
    fs.mkdirSync(join(sb.dir, 'app'));
    fs.symlinkSync(outside, join(sb.dir, 'app', '.env'));
    const r = await sb.cli(['secret', 'rotate', 'A', '--dotenv', 'app/.env']);
    assert.equal(r.code, 2);
    assert.match(r.err, /symlink pointing outside its directory/);
    assert.equal(sb.read('outside.env'), 'A=1\n');
  });

  it('a file with a second hard link (--dotenv and --secret-file)', async () => {
    for (const [name, args] of [['.env', ['A', '--dotenv', '.env']], ['db_password', ['--secret-file', 'db_password']]] as const) {
      const p = sb.write(name, 'A=1\n');
      fs.linkSync(p, join(sb.dir, `${name}.other-name`));
      const r = await sb.cli(['secret', 'rotate', ...args]);
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, /has more than one hard link: agentsec reads and replaces only a file with a single name/);
      assert.equal(r.err.trim().split('\n').length, 1);
      assert.equal(sb.read(name), 'A=1\n');
    }
    const status = await sb.cli(['secret', 'status', '--dotenv', '.env']);
    assert.equal(status.code, 2);
    assert.match(status.err, /more than one hard link/);
  });

  it('an unreadable file (when not root)', async (t) => {
    if (process.getuid?.() === 0) return t.skip('root reads any file');
    sb.write('.env', 'A=1\n', 0o000);
    const r = await sb.cli(['secret', 'rotate', 'A', '--dotenv', '.env']);
    assert.equal(r.code, 3);
    assert.match(r.err, /permission denied/);
  });

  it('a home that was never initialised', async () => {
    sb.write('.env', 'A=1\n');
    const r = await sb.cli(['--home', join(sb.dir, 'nohome'), 'secret', 'rotate', 'A', '--dotenv', '.env']);
    assert.equal(r.code, 2);
    assert.match(r.err, /run agentsec init/);
    assert.equal(sb.read('.env'), 'A=1\n');
  });
});
