import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { AgentsecError, ExitCode } from '../core/errors.js';
import { ioError } from './fs.js';
import { openNoFollow, sameFile, UnsafeFileError } from './no-follow.js';

export interface FileLock {
  readonly path: string;
  release(): void;
}

/** The lock file beside `target`: `.NAME.agentsec-lock`, 0600, left in place between runs (deleting it would race). */
export function lockPathFor(target: string): string {
  const base = basename(target);
  return join(dirname(target), `${base.startsWith('.') ? '' : '.'}${base}.agentsec-lock`);
}

// Fixed places, not $PATH: a root cron job must not run whatever `flock` comes first in an inherited PATH.
const FLOCK_PATHS = ['/usr/bin/flock', '/bin/flock', '/usr/local/bin/flock', '/usr/sbin/flock', '/sbin/flock', '/opt/homebrew/bin/flock'];
let flockPath: string | null | undefined;

function findFlock(): string | null {
  if (flockPath === undefined) flockPath = FLOCK_PATHS.find((p) => fs.existsSync(p)) ?? null;
  return flockPath;
}

function busy(target: string, path: string): AgentsecError {
  return new AgentsecError(`${target} is being changed by another agentsec process (lock ${path}): retry later`, ExitCode.Runtime);
}

/**
 * Takes flock(2) on `fd`'s open file description by handing the descriptor to flock(1) as its fd 3. A flock lock
 * belongs to the open file description, not to the process that asked for it, so it stays held by our copy of the
 * descriptor after flock(1) exits, until we close it — or until the kernel does, the instant we die.
 */
function flockDescriptor(fd: number, waitMs: number, target: string, path: string): Promise<void> {
  const bin = findFlock();
  if (bin === null) return Promise.reject(new AgentsecError(`cannot lock ${target}: flock(1) is not installed (it comes with util-linux or busybox)`, ExitCode.Runtime));
  return new Promise((resolve, reject) => {
    // -x only (no -w): busybox's flock has no timeout, so the wait is bounded here by killing the child.
    const child = spawn(bin, ['-x', '3'], { stdio: ['ignore', 'ignore', 'pipe', fd], env: {} });
    let stderr = '';
    let timedOut = false;
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d.slice(0, 500)));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, Math.max(0, waitMs));
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new AgentsecError(`cannot lock ${target}: ${bin}: ${err.message}`, ExitCode.Runtime, { cause: err }));
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      // Killed just after it got the lock: the lock is on our descriptor, which the caller closes on this path.
      if (code === 0 && !timedOut) resolve();
      else if (timedOut) reject(busy(target, path));
      else reject(new AgentsecError(`cannot lock ${path}: flock exited ${code ?? 'on a signal'}${stderr ? `: ${stderr.trim().split('\n')[0]}` : ''}`, ExitCode.Runtime));
    });
  });
}

function openLockFile(path: string): number {
  try {
    // Read-only is enough for flock, and nothing is ever written to the lock file. Not following a symlink and
    // refusing a hard link: the directory may belong to someone else, who must not make us open one of our files.
    return openNoFollow(path, { create: true }).fd;
  } catch (err) {
    if (err instanceof UnsafeFileError) {
      const what = err.reason === 'symlink' ? 'is a symlink' : err.reason === 'hard-links' ? 'has other hard links' : 'is not a regular file';
      throw new AgentsecError(`lock file ${path} ${what}: it is not an agentsec lock; remove it and retry`, ExitCode.Runtime, { cause: err });
    }
    throw ioError(err, path, 'open');
  }
}

/**
 * Takes an exclusive lock for read-modify-write of `target`, waiting up to `waitMs`.
 *
 * Why not an O_EXCL lock file with a pid inside: a process killed with -9 leaves it behind, and deciding that it
 * is stale (pid dead? pid reused? another pid namespace, as in a container?) races with the next process that
 * breaks it. Why not SQLite's lock on a file beside the target (what this used to be): SQLite opens that file by
 * name, resolving symlinks first, and rolls back a `-journal` found beside it, so the owner of the target's
 * directory could make it open, and write into, a file of their choosing. Instead the lock is a kernel flock on a
 * descriptor opened here without following links: it is dropped the instant its holder dies, so there is never a
 * stale lock to detect, and it works across processes and containers sharing the file.
 */
export async function acquireFileLock(target: string, waitMs = 15_000): Promise<FileLock> {
  const path = lockPathFor(target);
  const deadline = Date.now() + Math.max(0, waitMs);
  for (let attempt = 0; attempt < 20; attempt++) {
    const fd = openLockFile(path);
    let locked = false;
    try {
      await flockDescriptor(fd, deadline - Date.now(), target, path);
      // The name must still lead to the file we locked: had someone replaced the lock file meanwhile, the next
      // process would lock the new one and both would go ahead.
      let current: fs.Stats | undefined;
      try {
        current = fs.lstatSync(path);
      } catch {
        current = undefined;
      }
      const mine = fs.fstatSync(fd);
      if (current && current.isFile() && sameFile(current, mine)) {
        locked = true;
        let held = true;
        return {
          path,
          release() {
            if (!held) return;
            held = false;
            fs.closeSync(fd);
          },
        };
      }
    } finally {
      if (!locked) fs.closeSync(fd);
    }
  }
  throw new AgentsecError(`lock file ${path} keeps being replaced: find out who writes in ${dirname(path)}`, ExitCode.Runtime);
}
