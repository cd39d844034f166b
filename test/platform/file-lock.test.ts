import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { acquireFileLock, lockPathFor } from '../../src/platform/file-lock.js';
import { removeStaleTemps, resolveSecretTarget, writeSecretTarget } from '../../src/platform/secret-target.js';
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

  it('refuses a lock file that is not one', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const target = join(dir, 'x');
      fs.writeFileSync(lockPathFor(target), 'this is not a database file at all, just text that is long enough to matter'.repeat(10), { mode: 0o600 });
      await assert.rejects(acquireFileLock(target, 50), /not an agentsec lock/);
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

  it('keeps the owner and group of the file it replaces (as root)', (t) => {
    if (process.getuid?.() !== 0) return t.skip('needs root to chown');
    const { dir, cleanup } = tempDir();
    try {
      const path = join(dir, '.env');
      fs.writeFileSync(path, 'A=1\n', { mode: 0o640 });
      fs.chownSync(path, 4242, 4343);
      const target = resolveSecretTarget(path, dir, '--dotenv');
      writeSecretTarget(target, 'A=2\n');
      const st = fs.statSync(path);
      assert.deepEqual([st.uid, st.gid, st.mode & 0o777], [4242, 4343, 0o600]);
      assert.equal(fs.readFileSync(path, 'utf8'), 'A=2\n');
    } finally {
      cleanup();
    }
  });
});
