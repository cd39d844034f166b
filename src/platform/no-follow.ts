import * as fs from 'node:fs';

/**
 * Reading a file that another user may be able to swap. A path checked with lstat and then read by name can be
 * replaced in between (by a symlink, a hard link or another file) by anyone who can write its directory, so every
 * check here is made on the descriptor that is actually read (fstat), never on the path looked up earlier.
 */

/** What identifies a file and what a replacement must keep: device and inode, owner, group, mode, link count. */
export interface FileIdentity {
  readonly dev: number;
  readonly ino: number;
  readonly uid: number;
  readonly gid: number;
  /** Permission bits only (`& 0o7777`). */
  readonly mode: number;
  readonly nlink: number;
}

export type UnsafeReason = 'symlink' | 'not-regular' | 'hard-links';

/** A file that is not what it must be: a symlink at the last component, not a regular file, or one with several names. */
export class UnsafeFileError extends Error {
  readonly reason: UnsafeReason;
  readonly path: string;
  constructor(path: string, reason: UnsafeReason) {
    super(`${path}: ${reason}`);
    this.name = 'UnsafeFileError';
    this.path = path;
    this.reason = reason;
  }
}

const O_NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;
// A FIFO swapped in for the file would make a plain open(2) block forever; with O_NONBLOCK it opens at once and
// fstat refuses it. On a regular file O_NONBLOCK changes nothing.
const O_NONBLOCK = fs.constants.O_NONBLOCK ?? 0;

export function identityOf(st: fs.Stats): FileIdentity {
  return { dev: st.dev, ino: st.ino, uid: st.uid, gid: st.gid, mode: st.mode & 0o7777, nlink: st.nlink };
}

export function sameFile(a: Pick<FileIdentity, 'dev' | 'ino'>, b: Pick<FileIdentity, 'dev' | 'ino'>): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}

/** True for the errno open(2) gives with O_NOFOLLOW on a symlink (ELOOP on Linux and macOS, EMLINK on FreeBSD). */
export function isSymlinkRefusal(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ELOOP' || code === 'EMLINK';
}

/**
 * Opens `path` without following a symlink at its last component and checks, on the descriptor, that it is a
 * regular file (and, with `singleLink`, that it has no other name). Returns the open descriptor and its identity;
 * the caller closes it. Throws {@link UnsafeFileError} for a symlink, a non-regular file or extra hard links, and
 * the errno error for anything else (ENOENT, EACCES…).
 */
export function openNoFollow(path: string, opts: { flags?: number; create?: boolean; singleLink?: boolean } = {}): { fd: number; identity: FileIdentity } {
  const flags = (opts.flags ?? fs.constants.O_RDONLY) | (opts.create ? fs.constants.O_CREAT : 0) | O_NOFOLLOW | O_NONBLOCK;
  let fd: number;
  try {
    fd = fs.openSync(path, flags, 0o600);
  } catch (err) {
    if (isSymlinkRefusal(err)) throw new UnsafeFileError(path, 'symlink');
    throw err;
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw new UnsafeFileError(path, 'not-regular');
    // A second name for the same inode may live anywhere on the filesystem, e.g. a root-only file linked into a
    // directory someone else owns: what is read (and then replaced) here would be that file.
    if (opts.singleLink !== false && st.nlink > 1) throw new UnsafeFileError(path, 'hard-links');
    return { fd, identity: identityOf(st) };
  } catch (err) {
    fs.closeSync(fd);
    throw err;
  }
}

/** Reads the whole file behind `fd` from its start. */
export function readAll(fd: number): Buffer {
  const chunks: Buffer[] = [];
  let pos = 0;
  for (;;) {
    const buf = Buffer.allocUnsafe(64 * 1024);
    const n = fs.readSync(fd, buf, 0, buf.length, pos);
    if (n === 0) break;
    chunks.push(n === buf.length ? buf : buf.subarray(0, n));
    pos += n;
  }
  return Buffer.concat(chunks);
}

/** {@link openNoFollow}, then the whole content read from that same descriptor. */
export function readNoFollow(path: string, opts: { singleLink?: boolean } = {}): { bytes: Buffer; identity: FileIdentity } {
  const { fd, identity } = openNoFollow(path, opts);
  try {
    return { bytes: readAll(fd), identity };
  } finally {
    fs.closeSync(fd);
  }
}
