import * as fs from 'node:fs';
import { basename, dirname, relative, resolve, isAbsolute, sep } from 'node:path';
import { AgentsecError, ExitCode, usageError } from '../core/errors.js';
import { ioError, writeFileAtomic } from './fs.js';

export interface SecretTarget {
  /** The path as the user gave it, resolved against the cwd. */
  readonly given: string;
  /** The file actually read and replaced (the symlink's target when `given` is a symlink inside its directory). */
  readonly real: string;
  readonly uid: number;
  readonly gid: number;
  readonly mode: number;
}

function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}

/**
 * Resolves a file to rotate. Refuses a missing file, a directory, and a symlink that leads outside the directory
 * holding it: replacing the target of such a link would let whoever controls the link redirect the write.
 */
export function resolveSecretTarget(path: string, cwd: string, flag: string): SecretTarget {
  const given = resolve(cwd, path);
  let lst: fs.Stats;
  try {
    lst = fs.lstatSync(given);
  } catch (err) {
    throw ioError(err, given, 'read');
  }
  let real = given;
  if (lst.isSymbolicLink()) {
    let dirReal: string;
    try {
      real = fs.realpathSync(given);
      dirReal = fs.realpathSync(dirname(given));
    } catch (err) {
      throw ioError(err, given, 'read');
    }
    if (!isInside(dirReal, real)) throw usageError(`${flag} ${given} is a symlink pointing outside its directory: pass the real file instead`);
  }
  const st = fs.statSync(real);
  if (st.isDirectory()) throw new AgentsecError(`${flag} ${given} is a directory: pass a file`, ExitCode.Usage);
  if (!st.isFile()) throw new AgentsecError(`${flag} ${given} is not a regular file`, ExitCode.Usage);
  return { given, real, uid: st.uid, gid: st.gid, mode: st.mode & 0o777 };
}

/** Reads the file as UTF-8, refusing bytes that would not survive a round trip through a string. */
export function readSecretTarget(t: SecretTarget, flag: string): string {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(t.real);
  } catch (err) {
    throw ioError(err, t.given, 'read');
  }
  const text = buf.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(buf)) throw usageError(`${flag} ${t.given} is not valid UTF-8 text`);
  return text;
}

/** Replaces the file atomically with mode 0600, keeping its owner and group (a root cron job must not steal it). */
export function writeSecretTarget(t: SecretTarget, text: string): void {
  writeFileAtomic(t.real, text, { mode: 0o600, owner: { uid: t.uid, gid: t.gid } });
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes temp files that an earlier rotation of this file left when it was killed between creating and renaming
 * them (`.NAME.tmp-PID-RANDOM`), when their process is gone. Called under the file's lock.
 */
export function removeStaleTemps(real: string): number {
  const dir = dirname(real);
  const prefix = `.${basename(real)}.tmp-`;
  let removed = 0;
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(/^(\d+)-/.exec(name.slice(prefix.length))?.[1]);
    if (!Number.isSafeInteger(pid) || pid === process.pid || pidAlive(pid)) continue;
    try {
      fs.unlinkSync(resolve(dir, name));
      removed++;
    } catch {
      /* another process removed it */
    }
  }
  return removed;
}
