import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { acquireFileLock, lockPathFor } from '../../src/platform/file-lock.js';
import { readSecretTarget, removeStaleTemps, resolveSecretTarget, writeSecretTarget } from '../../src/platform/secret-target.js';
import { tempDir } from '../support/cli.js';

describe('file lock', () => {
  it('names a hidden 0600 file beside the target', () => {
    assert.equal(lockPathFor('/srv/app/.env'), '/srv/app/.env.agentsec-lock');
    assert.equal(lockPathFor('/run/secrets/db'), '/run/secrets/.db.agentsec-lock');
  });

  it('excludes a second holder until released', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const target = join(dir, '.env');
      const first = await acquireFileLock(target);
      assert.equal(fs.statSync(first.path).mode & 0o777, 0o600);
      await assert.rejects(acquireFileLock(target, 50), /being changed by another agentsec process/);
      first.release();
      first.release();
      const second = await acquireFileLock(target, 50);
      second.release();
    } finally {
      cleanup();
    }
  });

  it('is freed by the kernel when its holder is killed', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const target = join(dir, '.env');
      const url = new URL('../../src/platform/file-lock.js', import.meta.url).href;
      const child = spawn(process.execPath, ['--input-type=module', '-e', `const m = await import(${JSON.stringify(url)}); await m.acquireFileLock(${JSON.stringify(target)}); console.log('held'); setInterval(() => {}, 1000);`], { stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((res) => child.stdout.once('data', () => res()));
      await assert.rejects(acquireFileLock(target, 50), /another agentsec process/);
      child.kill('SIGKILL');
      await new Promise((res) => child.once('exit', res));
      const lock = await acquireFileLock(target, 2000);
      lock.release();
    } finally {
      cleanup();
    }
  });

  it('refuses a lock file that is a symlink, a hard link or a FIFO, and never touches what it leads to', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const victim = join(dir, 'victim');
      fs.writeFileSync(victim, 'precious\n', { mode: 0o600 });
      const cases: Array<[string, (lock: string) => void]> = [
        ['symlink', (lock) => fs.symlinkSync(victim, lock)],
        ['hard link', (lock) => fs.linkSync(victim, lock)],
        ['fifo', (lock) => execFileSync('mkfifo', [lock])],
      ];
      for (const [what, make] of cases) {
        const target = join(dir, `t-${what.replace(' ', '-')}`);
        make(lockPathFor(target));
        await assert.rejects(acquireFileLock(target, 2000), /it is not an agentsec lock; remove it/, what);
      }
      assert.equal(fs.readFileSync(victim, 'utf8'), 'precious\n');
      assert.equal(fs.statSync(victim).nlink, 2, 'only the test made the hard link');
    } finally {
      cleanup();
    }
  });

  it('a lock file with content is still a lock: nothing is read from it or written to it', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const target = join(dir, 'x');
      const text = 'SQLite format 3\0 or anything else';
      fs.writeFileSync(lockPathFor(target), text, { mode: 0o600 });
      const lock = await acquireFileLock(target, 2000);
      await assert.rejects(acquireFileLock(target, 50), /being changed by another agentsec process/);
      lock.release();
      assert.equal(fs.readFileSync(lockPathFor(target), 'utf8'), text);
      assert.deepEqual(fs.readdirSync(dir).sort(), ['.x.agentsec-lock']);
    } finally {
      cleanup();
    }
  });
});

describe('secret target', () => {
  it('sweeps temp files of dead processes only', () => {
    const { dir, cleanup } = tempDir();
    try {
      const target = join(dir, '.env');
      fs.writeFileSync(target, 'A=1\n');
      const dead = join(dir, '..env.tmp-999999999-abcdef');
      const live = join(dir, `..env.tmp-${process.ppid}-abcdef`);
      const other = join(dir, '.other.tmp-999999999-abcdef');
      for (const f of [dead, live, other]) fs.writeFileSync(f, 'x');
      assert.equal(removeStaleTemps(target), 1);
      assert.deepEqual([fs.existsSync(dead), fs.existsSync(live), fs.existsSync(other)], [false, true, true]);
    } finally {
      cleanup();
    }
  });

  it('takes owner, group and mode from the file read, not from the check before it (as root)', (t) => {
    if (process.getuid?.() !== 0) return t.skip('needs root to chown');
    const { dir, cleanup } = tempDir();
    try {
      const path = join(dir, '.env');
      fs.writeFileSync(path, 'A=1\n', { mode: 0o600 });
      fs.chownSync(path, 4242, 4242);
      const target = resolveSecretTarget(path, dir, '--dotenv');
      // Replaced between the check and the read (by its service, or another rotation): the new file's owner counts.
      const next = join(dir, 'next');
      fs.writeFileSync(next, 'A=9\n', { mode: 0o400 });
      fs.chownSync(next, 5151, 5252);
      fs.renameSync(next, path);
      const read = readSecretTarget(target);
      assert.equal(read.bytes.toString(), 'A=9\n');
      writeSecretTarget(target, read.identity, 'A=2\n');
      const st = fs.statSync(path);
      assert.deepEqual([st.uid, st.gid, st.mode & 0o777], [5151, 5252, 0o400]);
    } finally {
      cleanup();
    }
  });

  it('refuses to replace a file swapped after it was read', () => {
    const { dir, cleanup } = tempDir();
    try {
      const path = join(dir, '.env');
      fs.writeFileSync(path, 'A=1\n', { mode: 0o600 });
      const victim = join(dir, 'victim');
      fs.writeFileSync(victim, 'precious\n', { mode: 0o600 });
      const target = resolveSecretTarget(path, dir, '--dotenv');
      const read = readSecretTarget(target);
      // The file read stays alive under another name, so that its inode number cannot be reused by the swap.
      fs.renameSync(path, join(dir, 'read-one'));
      for (const swap of [() => fs.symlinkSync(victim, path), () => fs.linkSync(victim, path), () => fs.writeFileSync(path, 'A=other\n')]) {
        swap();
        assert.throws(() => writeSecretTarget(target, read.identity, 'A=2\n'), /was replaced while agentsec was working on it|more than one hard link/);
        assert.equal(fs.readFileSync(victim, 'utf8'), 'precious\n');
        fs.rmSync(path);
      }
      assert.deepEqual(fs.readdirSync(dir).filter((n) => n.includes('.tmp-')), []);
    } finally {
      cleanup();
    }
  });

  it('keeps the owner and group of the file it replaces (as root)', (t) => {
    if (process.getuid?.() !== 0) return t.skip('needs root to chown');
    const { dir, cleanup } = tempDir();
    try {
      const path = join(dir, '.env');
      fs.writeFileSync(path, 'A=1\n', { mode: 0o640 });
      fs.chownSync(path, 4242, 4343);
      const target = resolveSecretTarget(path, dir, '--dotenv');
      writeSecretTarget(target, readSecretTarget(target).identity, 'A=2\n');
      const st = fs.statSync(path);
      assert.deepEqual([st.uid, st.gid, st.mode & 0o777], [4242, 4343, 0o600]);
      assert.equal(fs.readFileSync(path, 'utf8'), 'A=2\n');
    } finally {
      cleanup();
    }
  });
});
