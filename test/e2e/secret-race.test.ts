import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { lockPathFor } from '../../src/platform/file-lock.js';
import { BIN, runCli, tempDir } from '../support/cli.js';

/**
 * The attack on `secret rotate` run by root from cron on a file in a directory another user owns: that user holds
 * the file's lock (agentsec's own lock, taken with agentsec's own code), waits until root's run is queued behind it,
 * swaps the file for a symlink or a hard link to a root-only file, and lets go. Root's run must refuse, leave the
 * root-only file alone, and put none of its content where the other user can read it.
 */

const ROOT_VALUES = ['RootOnlyJwtSecretValue0123456789abcdef', 'RootOnlyDbPasswordValue9876543210fedcba', 'RootOnlyDockerSecretValue55667788'];
const OWN = 'AttackerOwnValue_Kp3xR9vT2mQ7wZ4nB8yL1c';

function otherUser(): { uid: number; gid: number } | undefined {
  try {
    const uid = Number(execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'nobody'], { encoding: 'utf8' }).trim());
    return Number.isSafeInteger(uid) && uid > 0 ? { uid, gid } : undefined;
  } catch {
    return undefined;
  }
}

const user = process.getuid?.() === 0 ? otherUser() : undefined;
const skipWhy = process.getuid?.() !== 0 ? 'needs root (to run agentsec as root and the attacker as another user)' : user === undefined ? 'needs a user named nobody to play the attacker' : undefined;

let base: string;
let cleanup: () => void;
let home: string;
before(() => {
  if (skipWhy) return;
  ({ dir: base, cleanup } = tempDir('agentsec-race-'));
  // The attacker must be able to reach their own directory inside the test's temp dir, and nothing else.
  fs.chmodSync(base, 0o711);
  home = join(base, 'home');
  const init = runCli(['--home', home, 'init', '--quiet']);
  assert.equal(init.code, 0, init.stderr);
});
after(() => cleanup?.());

function lines(child: ChildProcess): { next(): Promise<string>; all: () => string } {
  let buf = '';
  let all = '';
  const waiters: Array<(l: string) => void> = [];
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    buf += d;
    all += d;
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      waiters.shift()?.(line);
    }
  });
  return { next: () => new Promise((res) => waiters.push(res)), all: () => all };
}

function exited(child: ChildProcess): Promise<number> {
  return new Promise((res) => child.once('exit', (code, signal) => res(code ?? (signal ? 128 : -1))));
}

/** Polls until process `pid` has `path` open: it is then waiting for (or holding) the lock on it. */
async function waitUntilOpen(pid: number, path: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    let fds: string[] = [];
    try {
      fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      /* not started yet, or already gone */
    }
    for (const fd of fds) {
      try {
        if (fs.readlinkSync(`/proc/${pid}/fd/${fd}`) === path) return;
      } catch {
        /* closed meanwhile */
      }
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`process ${pid} never opened ${path}`);
}

type Swap = 'symlink' | 'hard link' | 'none';

interface Scenario {
  readonly dir: string;
  readonly target: string;
  readonly rootFile: string;
  readonly rootBytes: Buffer;
}

function scenario(name: string, kind: 'dotenv' | 'secret-file'): Scenario {
  const dir = join(base, `srv-${name}`);
  fs.mkdirSync(dir, { mode: 0o755 });
  fs.chownSync(dir, user!.uid, user!.gid);
  const vault = join(base, `root-only-${name}`);
  fs.mkdirSync(vault, { mode: 0o700 });
  const target = join(dir, kind === 'dotenv' ? '.env' : 'db_password');
  const rootFile = join(vault, kind === 'dotenv' ? 'secret.env' : 'db_password');
  fs.writeFileSync(target, kind === 'dotenv' ? `JWT_SECRET=${OWN}\nPORT=3000\n` : `${OWN}\n`, { mode: 0o600 });
  fs.chownSync(target, user!.uid, user!.gid);
  const rootText = kind === 'dotenv' ? `JWT_SECRET=${ROOT_VALUES[0]}\nDB_PASSWORD=${ROOT_VALUES[1]}\n` : `${ROOT_VALUES[2]}\n`;
  fs.writeFileSync(rootFile, rootText, { mode: 0o600 });
  return { dir, target, rootFile, rootBytes: Buffer.from(rootText) };
}

/**
 * Runs the attack and returns root's result. For a hard link, the link is made beforehand (as root: this kernel's
 * protected_hardlinks would stop the attacker, as it does not everywhere) under a name the attacker then renames.
 */
async function attack(s: Scenario, swap: Swap, rotateArgs: string[]): Promise<{ code: number; stderr: string }> {
  const stash = join(s.dir, '.stash');
  if (swap === 'hard link') fs.linkSync(s.rootFile, stash);
  const lockModule = new URL('../../src/platform/file-lock.js', import.meta.url).href;
  const script = `
    const fs = await import('node:fs');
    const { acquireFileLock } = await import(${JSON.stringify(lockModule)});
    const lock = await acquireFileLock(${JSON.stringify(s.target)});
    console.log('held');
    process.stdin.once('data', () => {
      const swap = ${JSON.stringify(swap)};
      if (swap === 'symlink') {
        fs.symlinkSync(${JSON.stringify(s.rootFile)}, ${JSON.stringify(`${s.target}.new`)});
        fs.renameSync(${JSON.stringify(`${s.target}.new`)}, ${JSON.stringify(s.target)});
      } else if (swap === 'hard link') {
        fs.renameSync(${JSON.stringify(stash)}, ${JSON.stringify(s.target)});
      }
      lock.release();
      console.log('swapped');
      process.exit(0);
    });`;
  const attacker = spawn(process.execPath, ['--input-type=module', '-e', script], { uid: user!.uid, gid: user!.gid, cwd: s.dir, stdio: ['pipe', 'pipe', 'inherit'] });
  const out = lines(attacker);
  const attackerDone = exited(attacker);
  assert.equal(await Promise.race([out.next(), attackerDone.then((c) => `attacker exited ${c}`)]), 'held');

  const victim = spawn(process.execPath, [BIN, '--home', home, 'secret', 'rotate', ...rotateArgs], { env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  victim.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  victim.stdout?.resume();
  const victimDone = exited(victim);
  // Root's run has opened the lock file: it can only read the target once the attacker lets go.
  await waitUntilOpen(victim.pid!, lockPathFor(s.target));
  attacker.stdin?.end('go\n');
  assert.equal(await out.next(), 'swapped');
  assert.equal(await attackerDone, 0);
  return { code: await victimDone, stderr };
}

/** No file the attacker's directory holds, other than the root-only file itself (a hard link to it), shows its content. */
function assertNothingLeaked(s: Scenario): void {
  const rootSt = fs.statSync(s.rootFile);
  for (const name of fs.readdirSync(s.dir)) {
    const p = join(s.dir, name);
    const st = fs.lstatSync(p);
    if (!st.isFile() || (st.ino === rootSt.ino && st.dev === rootSt.dev)) continue;
    const text = fs.readFileSync(p, 'latin1');
    for (const v of ROOT_VALUES) assert.ok(!text.includes(v), `${name} holds a root-only value`);
  }
}

function assertRootFileUntouched(s: Scenario): void {
  assert.deepEqual(fs.readFileSync(s.rootFile), s.rootBytes, 'the root-only file is unchanged');
  const st = fs.statSync(s.rootFile);
  assert.deepEqual([st.uid, st.mode & 0o777], [0, 0o600]);
}

function assertRefused(r: { code: number; stderr: string }): void {
  assert.notEqual(r.code, 0, 'the run must refuse');
  assert.equal(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr}`);
  assert.match(r.stderr, /^agentsec: --(dotenv|secret-file) .* (was replaced while agentsec was working on it|has more than one hard link)/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
  for (const v of ROOT_VALUES) assert.ok(!r.stderr.includes(v));
}

describe('secret rotate run by root against a directory another user owns', { skip: skipWhy }, () => {
  it('control: with the lock held and released without a swap, the rotation waits and then succeeds', async () => {
    const s = scenario('control', 'dotenv');
    const r = await attack(s, 'none', ['JWT_SECRET', '--dotenv', s.target]);
    assert.equal(r.code, 0, r.stderr);
    const st = fs.statSync(s.target);
    assert.deepEqual([st.uid, st.mode & 0o777], [user!.uid, 0o600], 'the service keeps its file');
    assert.match(fs.readFileSync(s.target, 'utf8'), new RegExp(`^JWT_SECRET=[A-Za-z0-9_-]{43}\\nJWT_SECRET_PREVIOUS=${OWN}\\nPORT=3000\\n$`));
  });

  for (const swap of ['symlink', 'hard link'] as const) {
    it(`--dotenv: .env swapped for a ${swap} to a root-only file while root waits for the lock`, async () => {
      const s = scenario(`dotenv-${swap.replace(' ', '-')}`, 'dotenv');
      const r = await attack(s, swap, ['JWT_SECRET', '--dotenv', s.target]);
      assertRefused(r);
      assertRootFileUntouched(s);
      assertNothingLeaked(s);
    });

    it(`--secret-file: the file swapped for a ${swap} to a root-only file while root waits for the lock`, async () => {
      const s = scenario(`secret-file-${swap.replace(' ', '-')}`, 'secret-file');
      const r = await attack(s, swap, ['--secret-file', s.target]);
      assertRefused(r);
      assertRootFileUntouched(s);
      assertNothingLeaked(s);
      assert.ok(!fs.existsSync(`${s.target}.previous`), 'no FILE.previous was written');
    });
  }
});
