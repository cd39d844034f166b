import * as fs from 'node:fs';
import { basename, dirname, relative, resolve, isAbsolute, sep } from 'node:path';
import { AgentsecError, ExitCode, runtimeError, usageError } from '../core/errors.js';
import { ioError, writeFileAtomic } from './fs.js';
import { identityOf, openNoFollow, readAll, sameFile, UnsafeFileError, type FileIdentity } from './no-follow.js';

/**
 * A secrets file to read and replace in place, in a directory that others may be able to write (a service's
 * `/srv/app/`, owned by the service user, rotated by root from cron). The rule that keeps this safe: whoever can
 * write the directory must not make a run by another user read or write any file but the one named. So nothing
 * learnt from the path before the file is opened is trusted: the file is opened without following symlinks, checked
 * on its descriptor (a regular file with a single name), read from that descriptor, and its owner and mode for the
 * replacement are taken from it; just before the replacement, the name must still lead to that same file.
 */
export interface SecretTarget {
  /** The path as the user gave it, resolved against the cwd. */
  readonly given: string;
  /** The file actually read and replaced (the symlink's target when `given` is a symlink inside its directory). */
  readonly real: string;
  /** The flag that named it, for messages. */
  readonly flag: string;
}

/** What was read: the content and the identity of the very file it came from. */
export interface SecretContent {
  readonly bytes: Buffer;
  readonly identity: FileIdentity;
}

function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}

function hardLinks(t: Pick<SecretTarget, 'flag' | 'given'>): AgentsecError {
  return usageError(`${t.flag} ${t.given} has more than one hard link: agentsec reads and replaces only a file with a single name (the other name could be any file); copy it to a file of its own`);
}

/**
 * Resolves a file to rotate or read. Refuses a missing file, a directory, a file with several hard links, and a
 * symlink that leads outside the directory holding it: replacing the target of such a link would let whoever
 * controls the link redirect the write. These checks give early, clear errors; {@link readSecretTarget} makes the
 * ones that count again on the descriptor it reads.
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
    try {
      lst = fs.lstatSync(real);
    } catch (err) {
      throw ioError(err, given, 'read');
    }
  }
  if (lst.isDirectory()) throw new AgentsecError(`${flag} ${given} is a directory: pass a file`, ExitCode.Usage);
  if (!lst.isFile()) throw new AgentsecError(`${flag} ${given} is not a regular file`, ExitCode.Usage);
  if (lst.nlink > 1) throw hardLinks({ flag, given });
  return { given, real, flag };
}

function swapped(t: SecretTarget, now: string): AgentsecError {
  return runtimeError(`${t.flag} ${t.given} was replaced while agentsec was working on it (it is now ${now}): nothing was changed; check who else can write ${dirname(t.real)}`);
}

/**
 * Reads the file through a descriptor opened without following symlinks, refusing anything but a regular file with
 * a single name. Under a lock, call it after the lock is taken: the file may have been replaced while we waited.
 */
export function readSecretTarget(t: SecretTarget): SecretContent {
  let opened: { fd: number; identity: FileIdentity };
  try {
    opened = openNoFollow(t.real);
  } catch (err) {
    if (err instanceof UnsafeFileError) {
      if (err.reason === 'hard-links') throw hardLinks(t);
      throw swapped(t, err.reason === 'symlink' ? 'a symlink' : 'not a regular file');
    }
    throw ioError(err, t.given, 'read');
  }
  try {
    return { bytes: readAll(opened.fd), identity: opened.identity };
  } catch (err) {
    throw ioError(err, t.given, 'read');
  } finally {
    fs.closeSync(opened.fd);
  }
}

/** The content as UTF-8 text, refusing bytes that would not survive a round trip through a string. */
export function secretText(t: SecretTarget, c: SecretContent): string {
  const text = c.bytes.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(c.bytes)) throw usageError(`${t.flag} ${t.given} is not valid UTF-8 text`);
  return text;
}

/**
 * Throws unless the name still leads to the file that was read (same device and inode, a regular file, one name).
 * Called under the lock right before the replacement: an agentsec process never replaces it there, so a change
 * means someone else swapped it, and the content read may not be theirs to get back.
 */
export function assertUnchanged(t: SecretTarget, read: FileIdentity): void {
  let now: fs.Stats;
  try {
    now = fs.lstatSync(t.real);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw swapped(t, 'gone');
    throw ioError(err, t.given, 'read');
  }
  if (now.isSymbolicLink()) throw swapped(t, 'a symlink');
  if (!now.isFile()) throw swapped(t, 'not a regular file');
  if (!sameFile(identityOf(now), read)) throw swapped(t, 'another file');
  if (now.nlink > 1) throw hardLinks(t);
}

/**
 * The mode of the replacement: never looser than the file had, and never beyond 0600 — group and other bits are
 * dropped (a secrets file is for its owner), and a stricter mode such as 0400 is kept as it is.
 */
export function replacementMode(read: FileIdentity): number {
  return read.mode & 0o600;
}

/** A warning when the replacement had to drop permission bits the file had. */
export function modeWarning(t: SecretTarget, read: FileIdentity): string[] {
  const was = read.mode & 0o7777;
  const now = replacementMode(read);
  return was !== now ? [`${t.given} had mode ${was.toString(8).padStart(4, '0')}; it is now ${now.toString(8).padStart(4, '0')}`] : [];
}

/**
 * Replaces `path` (the target, or its FILE.previous) atomically. The temp file is created with O_EXCL, which never
 * follows a symlink, and renamed over the name, which replaces a symlink or a hard link put there rather than
 * writing through it. Owner, group and mode come from the file that was read, never from an earlier stat.
 */
export function writeBeside(path: string, read: FileIdentity, text: string): void {
  writeFileAtomic(path, text, { mode: replacementMode(read), owner: { uid: read.uid, gid: read.gid } });
}

/** Checks that the target is still the file that was read, then replaces it (see {@link writeBeside}). */
export function writeSecretTarget(t: SecretTarget, read: FileIdentity, text: string): void {
  assertUnchanged(t, read);
  writeBeside(t.real, read, text);
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
