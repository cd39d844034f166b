import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createRuntime } from '../../../src/services/runtime.js';
import { getKey, openKeys } from '../../../src/services/keys.js';
import { rotateKeyIntoFile } from '../../../src/services/keys/file-rotation.js';
import { resolveSecretTarget } from '../../../src/platform/secret-target.js';
import { cli, initHome, issue } from './helpers.js';

const cleanups: Array<() => void> = [];
after(() => {
  for (const c of cleanups) c();
});

async function setup(): Promise<{ home: string; dir: string; key: string; id: string }> {
  const h = await initHome();
  cleanups.push(h.cleanup);
  const dir = join(h.home, '..', 'srv');
  fs.mkdirSync(dir);
  const { key, id } = await issue(h.home, ['--role', 'operator']);
  return { home: h.home, dir, key, id };
}

function write(path: string, text: string, mode = 0o600): string {
  fs.writeFileSync(path, text, { mode });
  fs.chmodSync(path, mode);
  return path;
}

async function verdict(home: string, key: string): Promise<string> {
  return (JSON.parse((await cli(home, ['--json', 'keys', 'verify'], { stdin: key })).stdout) as { code: string }).code;
}

async function keyCount(home: string): Promise<number> {
  return (JSON.parse((await cli(home, ['--json', 'keys', 'list', '--all'])).stdout) as { keys: unknown[] }).keys.length;
}

test('keys rotate --name --dotenv --var writes the new key into the file, atomically, 0600, and never prints it', async () => {
  const s = await setup();
  const env = write(join(s.dir, '.env'), '# agent\nMEM0_URL=http://127.0.0.1:8000\nMEM0_API_KEY=placeholder\nOTHER="keep me"\n', 0o640);
  const r = await cli(s.home, ['keys', 'rotate', '--name', 'test', '--dotenv', env, '--var', 'MEM0_API_KEY', '--grace', '1h']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '', 'the key is not printed unless asked');
  const text = fs.readFileSync(env, 'utf8');
  const m = /^MEM0_API_KEY=(ask_\S+)$/m.exec(text);
  assert.ok(m, text);
  const newKey = m[1] as string;
  assert.equal(text.replace(newKey, 'X'), '# agent\nMEM0_URL=http://127.0.0.1:8000\nMEM0_API_KEY=X\nOTHER="keep me"\n', 'only the value changed');
  assert.ok(!/_PREVIOUS/.test(text), 'no second live key left in the file');
  assert.equal(fs.statSync(env).mode & 0o777, 0o600);
  assert.match(r.stderr, /had mode 0640; it is now 0600/);
  assert.ok(!r.stderr.includes(newKey));
  assert.equal(await verdict(s.home, newKey), 'VALID');
  assert.equal(await verdict(s.home, s.key), 'VALID', 'the old key works during the grace period');

  const log = await cli(s.home, ['audit', 'log', '--json']);
  const entries = log.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; data: Record<string, unknown> });
  const rot = entries.find((e) => e.type === 'keys.rotate');
  assert.equal(rot?.data['oldId'], s.id);
  assert.equal(rot?.data['variable'], 'MEM0_API_KEY');
  assert.equal(rot?.data['file'], fs.realpathSync(env));
  assert.ok(entries.some((e) => e.type === 'secret.rotated' && e.data['name'] === 'MEM0_API_KEY'));
  assert.ok(!log.stdout.includes(newKey.split('_')[1] as string), 'no key in the audit log');
  // The file is tracked like any rotated secret.
  const status = await cli(s.home, ['--json', 'secret', 'status']);
  assert.match(status.stdout, /MEM0_API_KEY/);
  assert.ok(!status.stdout.includes(newKey));
});

test('--show-key prints it; --json carries it only then; --secret-file keeps the final newline', async () => {
  const s = await setup();
  const f = write(join(s.dir, 'mem0_key'), 'old\n');
  const quiet = await cli(s.home, ['--json', 'keys', 'rotate', s.id, '--secret-file', f]);
  assert.equal(quiet.code, 0, quiet.stderr);
  const doc = JSON.parse(quiet.stdout) as Record<string, unknown>;
  assert.equal(doc['key'], undefined);
  assert.equal((doc['file'] as { name: string }).name, 'mem0_key');
  const first = fs.readFileSync(f, 'utf8');
  assert.match(first, /^ask_\S+\n$/);
  const shown = await cli(s.home, ['keys', 'rotate', '--name', 'test', '--secret-file', f, '--show-key']);
  assert.equal(shown.code, 0, shown.stderr);
  assert.equal(`${shown.stdout.trim()}\n`, fs.readFileSync(f, 'utf8'));
  assert.notEqual(first, fs.readFileSync(f, 'utf8'));
});

test('--if-older-than skips a young key without touching the file or running --then; --then runs after a write', async () => {
  const s = await setup();
  const env = write(join(s.dir, '.env'), 'K=old\n');
  const marker = join(s.dir, 'reloaded');
  const skip = await cli(s.home, ['keys', 'rotate', '--name', 'test', '--dotenv', env, '--var', 'K', '--if-older-than', '30d', '--then', `touch ${marker}`]);
  assert.equal(skip.code, 0, skip.stderr);
  assert.match(skip.stderr, /not rotated: issued or rotated .*less than --if-older-than ago/);
  assert.equal(fs.readFileSync(env, 'utf8'), 'K=old\n');
  assert.ok(!fs.existsSync(marker));
  assert.equal(await keyCount(s.home), 1);
  const later = new Date(Date.now() + 31 * 86_400_000);
  const done = await cli(s.home, ['keys', 'rotate', '--name', 'test', '--dotenv', env, '--var', 'K', '--if-older-than', '30d', '--then', `touch ${marker}`], { now: later });
  assert.equal(done.code, 0, done.stderr);
  assert.ok(fs.existsSync(marker));
  const failing = await cli(s.home, ['keys', 'rotate', '--name', 'test', '--dotenv', env, '--var', 'K', '--then', 'exit 7'], { now: later });
  assert.equal(failing.code, 3);
  assert.match(failing.stderr, /--then command failed \(exit 7\); the rotation itself was written/);
});

test('bad input: exit 2, one line, nothing rotated and nothing written', async () => {
  const s = await setup();
  const env = write(join(s.dir, '.env'), 'K=old\n');
  const outside = write(join(s.home, '..', 'elsewhere.env'), 'K=old\n');
  fs.symlinkSync(outside, join(s.dir, 'link.env'));
  write(join(s.dir, 'bad.env'), 'K="unterminated\n');
  write(join(s.dir, 'two-lines'), 'a\nb\n');
  const twin = join(s.dir, 'twin');
  write(twin, 'x\n');
  fs.linkSync(twin, join(s.dir, 'twin2'));
  const cases: Array<[string[], RegExp]> = [
    [['--name', 'test', '--dotenv', join(s.dir, 'link.env'), '--var', 'K'], /is a symlink pointing outside its directory/],
    [['--name', 'test', '--dotenv', env, '--var', 'MISSING'], /MISSING not found in the env file: pass --create/],
    [['--name', 'test', '--dotenv', join(s.dir, 'bad.env'), '--var', 'K'], /--dotenv .*bad\.env: .*nothing was changed/],
    [['--name', 'test', '--secret-file', join(s.dir, 'two-lines')], /more than one line/],
    [['--name', 'test', '--secret-file', twin], /more than one hard link/],
    [['--name', 'test', '--dotenv', env], /--dotenv needs --var NAME/],
    [['--name', 'test', '--var', 'K'], /--var applies to --dotenv only/],
    [['--name', 'test', '--dotenv', env, '--var', '1K'], /--var: '1K' is not a valid variable name/],
    [[s.id, '--name', 'test'], /either the key id or --name, not both/],
    [[], /pass the key id or --name NAME/],
    [['--name', 'nobody', '--dotenv', env, '--var', 'K'], /no active API key named 'nobody'/],
    [['--name', 'test', '--secret-file', env, '--dotenv', env, '--var', 'K'], /pass one of/],
  ];
  for (const [args, msg] of cases) {
    const r = await cli(s.home, ['keys', 'rotate', ...args]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, msg, args.join(' '));
    assert.equal(r.stderr.trim().split('\n').length, 1, args.join(' '));
    assert.equal(r.stdout, '');
  }
  assert.equal(await keyCount(s.home), 1, 'no key was rotated');
  assert.equal(fs.readFileSync(env, 'utf8'), 'K=old\n');
  assert.equal(fs.readFileSync(outside, 'utf8'), 'K=old\n', 'the symlink target was never written');
  assert.equal(await verdict(s.home, s.key), 'VALID');
  // --create adds the variable.
  assert.equal((await cli(s.home, ['keys', 'rotate', '--name', 'test', '--dotenv', env, '--var', 'NEW_KEY', '--create'])).code, 0);
  assert.match(fs.readFileSync(env, 'utf8'), /^K=old\nNEW_KEY=ask_\S+\n$/);
});

test('--name refuses an ambiguous name, listing the ids', async () => {
  const s = await setup();
  const second = await issue(s.home);
  const r = await cli(s.home, ['keys', 'rotate', '--name', 'test']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, new RegExp(`2 active API keys are named 'test' \\((${s.id}, ${second.id}|${second.id}, ${s.id})\\): pass the id instead of --name`));
  // The predecessor in its grace period is not a candidate: after rotating one, --name finds its successor.
  assert.equal((await cli(s.home, ['keys', 'revoke', second.id, '--yes'])).code, 0);
  assert.equal((await cli(s.home, ['keys', 'rotate', '--name', 'test'])).code, 0);
  assert.equal((await cli(s.home, ['keys', 'rotate', '--name', 'test'])).code, 0);
});

test('a file replaced while the rotation runs is not written, and the rotation rolls back', async () => {
  const s = await setup();
  const env = write(join(s.dir, '.env'), 'K=old\n');
  const rt = createRuntime({ resolvedHome: s.home, env: {}, cwd: s.dir });
  const keys = await openKeys(rt, { fingerprint: true });
  try {
    const target = resolveSecretTarget(env, s.dir, '--dotenv');
    await assert.rejects(
      rotateKeyIntoFile({
        keys,
        fingerprintKey: keys.fingerprintKey,
        graceMs: 3_600_000,
        file: { kind: 'env', target, variable: 'K', create: false },
        find: async () => {
          // Someone who can write the directory swaps the file after agentsec read it.
          fs.renameSync(write(join(s.dir, 'swap'), 'K=theirs\n'), env);
          return getKey(keys, s.id);
        },
      }),
      /was replaced while agentsec was working on it/,
    );
    const r = await getKey(keys, s.id);
    assert.equal(r.rotatedTo, null, 'the rotation was rolled back');
    assert.equal(r.expiresAt, null);
  } finally {
    await keys.close();
  }
  assert.equal(fs.readFileSync(env, 'utf8'), 'K=theirs\n');
  assert.equal(await keyCount(s.home), 1);
});
