import { basename, dirname, join } from 'node:path';
import { AgentsecError, ExitCode } from '../core/errors.js';
import { ioError, touchPrivate } from './fs.js';

export interface FileLock {
  readonly path: string;
  release(): void;
}

/** The lock file beside `target`: `.NAME.agentsec-lock`, 0600, left in place between runs (deleting it would race). */
export function lockPathFor(target: string): string {
  const base = basename(target);
  return join(dirname(target), `${base.startsWith('.') ? '' : '.'}${base}.agentsec-lock`);
}

/**
 * Takes an exclusive lock for read-modify-write of `target`, waiting up to `waitMs`.
 *
 * Why not an O_EXCL lock file with a pid inside: a process killed with -9 leaves it behind, and deciding that it
 * is stale (pid dead? pid reused? another pid namespace, as in a container?) races with the next process that
 * breaks it. Instead the lock is SQLite's own exclusive lock (POSIX advisory locks) on a small file beside the
 * target: the kernel drops it the instant its holder dies, so there is never a stale lock to detect, waiting is
 * handled by SQLite's busy timeout, and it works across containers sharing the file.
 */
export async function acquireFileLock(target: string, waitMs = 15_000): Promise<FileLock> {
  const path = lockPathFor(target);
  touchPrivate(path);
  const { default: Database } = await import('better-sqlite3');
  let db: import('better-sqlite3').Database;
  try {
    db = new Database(path, { fileMustExist: true });
  } catch (err) {
    throw ioError(err, path, 'open');
  }
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(waitMs))}`);
    // BEGIN EXCLUSIVE takes the file's exclusive lock at once (rollback-journal mode): no one else gets past here.
    db.exec('BEGIN EXCLUSIVE');
  } catch (err) {
    db.close();
    const code = (err as { code?: string }).code ?? '';
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
      throw new AgentsecError(`${target} is being changed by another agentsec process (lock ${path}): retry later`, ExitCode.Runtime, { cause: err });
    }
    if (code === 'SQLITE_NOTADB') throw new AgentsecError(`lock file ${path} is not an agentsec lock: remove it and retry`, ExitCode.Runtime, { cause: err });
    throw ioError(err, path, 'open');
  }
  let held = true;
  return {
    path,
    release() {
      if (!held) return;
      held = false;
      try {
        db.exec('ROLLBACK');
      } finally {
        db.close();
      }
    },
  };
}
