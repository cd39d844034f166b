import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { AgentsecError, ExitCode, runtimeError, usageError } from '../core/errors.js';

export type FileData = string | Uint8Array | Iterable<string | Uint8Array>;

function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    // O_DIRECTORY: whatever else might have been put at this name (a FIFO would block a plain open) is not opened.
    fd = fs.openSync(dir, fs.constants.O_RDONLY | (fs.constants.O_DIRECTORY ?? 0));
    fs.fsyncSync(fd);
  } catch {
    // Some filesystems refuse fsync on a directory; the rename is still atomic there.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

interface TempFile {
  readonly path: string;
  readonly tmp: string;
  readonly dir: string;
  fd: number | undefined;
}

function openTemp(path: string, mode: number): TempFile {
  const dir = dirname(path);
  const t: TempFile = { path, dir, tmp: join(dir, `.${basename(path)}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`), fd: undefined };
  t.fd = fs.openSync(t.tmp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, mode);
  return t;
}

function writeChunk(t: TempFile, chunk: string | Uint8Array): void {
  const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
  let off = 0;
  while (off < buf.length) off += fs.writeSync(t.fd as number, buf, off, buf.length - off);
}

function commitTemp(t: TempFile, mode: number, owner: { uid: number; gid: number } | undefined): void {
  const fd = t.fd as number;
  // The umask may have narrowed the mode given to open; a wider requested mode (0644 for a JWKS) is applied here.
  fs.fchmodSync(fd, mode);
  if (owner) chownKeeping(fd, owner);
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  t.fd = undefined;
  fs.renameSync(t.tmp, t.path);
  fsyncDir(t.dir);
}

function abortTemp(t: TempFile | undefined, err: unknown, path: string): AgentsecError {
  if (t?.fd !== undefined) {
    try {
      fs.closeSync(t.fd);
    } catch {
      /* already failing */
    }
  }
  if (t) {
    try {
      fs.unlinkSync(t.tmp);
    } catch {
      /* never created */
    }
  }
  if (err instanceof AgentsecError) return err;
  return ioError(err, path, 'write');
}

export interface AtomicWriteOptions {
  readonly mode?: number;
  readonly owner?: { uid: number; gid: number };
}

/**
 * Writes a file so that a crash at any instant leaves the old or the new version whole:
 * a temp file in the same directory (created 0600, never wider), fsync, rename over the target, fsync the directory.
 * `data` may be an iterable of chunks; if it throws midway, the temp file is removed and the old file is untouched.
 */
export function writeFileAtomic(path: string, data: FileData, opts: AtomicWriteOptions = {}): void {
  const mode = opts.mode ?? 0o600;
  let t: TempFile | undefined;
  try {
    t = openTemp(path, mode);
    const chunks: Iterable<string | Uint8Array> = typeof data === 'string' || data instanceof Uint8Array ? [data] : data;
    for (const chunk of chunks) writeChunk(t, chunk);
    commitTemp(t, mode, opts.owner);
  } catch (err) {
    throw abortTemp(t, err, path);
  }
}

/** {@link writeFileAtomic} for chunks that arrive asynchronously (a stream read from the store). */
export async function writeFileAtomicStream(path: string, chunks: AsyncIterable<string | Uint8Array>, opts: AtomicWriteOptions = {}): Promise<void> {
  const mode = opts.mode ?? 0o600;
  let t: TempFile | undefined;
  try {
    t = openTemp(path, mode);
    for await (const chunk of chunks) writeChunk(t, chunk);
    commitTemp(t, mode, opts.owner);
  } catch (err) {
    throw abortTemp(t, err, path);
  }
}

/** Gives a replacement file the owner of the file it replaces; only root may, and for anyone else it is a no-op. */
function chownKeeping(fd: number, owner: { uid: number; gid: number }): void {
  const uid = typeof process.getuid === 'function' ? process.getuid() : -1;
  const gid = typeof process.getgid === 'function' ? process.getgid() : -1;
  if (owner.uid === uid && owner.gid === gid) return;
  try {
    fs.fchownSync(fd, owner.uid, owner.gid);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') throw err;
  }
}

/** Turns a Node fs error into a one-line user error naming the file. */
export function ioError(err: unknown, path: string, verb: 'read' | 'write' | 'create' | 'open'): AgentsecError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return runtimeError(`cannot ${verb} ${path}: no such file or directory`, err);
    case 'EACCES':
    case 'EPERM':
      return runtimeError(`cannot ${verb} ${path}: permission denied`, err);
    case 'EISDIR':
      return runtimeError(`cannot ${verb} ${path}: it is a directory`, err);
    case 'ENOTDIR':
      return runtimeError(`cannot ${verb} ${path}: a parent is not a directory`, err);
    case 'ENOSPC':
      return runtimeError(`cannot ${verb} ${path}: no space left on device`, err);
    case 'EROFS':
      return runtimeError(`cannot ${verb} ${path}: read-only file system`, err);
    default:
      return runtimeError(`cannot ${verb} ${path}: ${code ?? (err instanceof Error ? err.message : String(err))}`, err);
  }
}

export function readTextFile(path: string, what = 'file'): string {
  try {
    return fs.readFileSync(path, 'utf8');
  } catch (err) {
    const e = ioError(err, path, 'read');
    throw new AgentsecError(e.message.replace(/^cannot read/, `cannot read ${what}`), e.exitCode, { cause: err });
  }
}

export interface ModeReport {
  readonly path: string;
  readonly exists: boolean;
  readonly isDirectory: boolean;
  readonly mode: number;
  readonly ownedByUs: boolean;
  /** True when group or others have any permission bit. */
  readonly openToOthers: boolean;
}

export function inspectMode(path: string): ModeReport {
  let st: fs.Stats;
  try {
    st = fs.statSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      return { path, exists: false, isDirectory: false, mode: 0, ownedByUs: true, openToOthers: false };
    }
    throw ioError(err, path, 'open');
  }
  const uid = typeof process.getuid === 'function' ? process.getuid() : st.uid;
  return {
    path,
    exists: true,
    isDirectory: st.isDirectory(),
    mode: st.mode & 0o777,
    ownedByUs: st.uid === uid,
    openToOthers: (st.mode & 0o077) !== 0,
  };
}

export function formatMode(mode: number): string {
  return mode.toString(8).padStart(4, '0');
}

/**
 * Refuses (exit 2) a file or directory that others can read or write, or that another user owns,
 * with the command that fixes it.
 */
export function assertPrivate(path: string, kind: 'home' | 'file'): void {
  const r = inspectMode(path);
  if (!r.exists) return;
  const want = kind === 'home' ? '700' : '600';
  if (!r.ownedByUs) throw usageError(`${kind === 'home' ? 'home' : 'file'} ${path} is owned by another user: run agentsec as its owner, or chown it`);
  if (r.openToOthers) {
    throw new AgentsecError(
      `${kind === 'home' ? 'home' : 'file'} ${path} is accessible by others (mode ${formatMode(r.mode)}): run chmod ${want} ${path}`,
      ExitCode.Usage,
    );
  }
}

/** Creates the home directory 0700 (with parents), or checks an existing one. Returns true when it was created. */
export function ensurePrivateDir(path: string): boolean {
  const r = inspectMode(path);
  if (r.exists) {
    if (!r.isDirectory) throw usageError(`home ${path} exists and is not a directory: pass another --home`);
    assertPrivate(path, 'home');
    return false;
  }
  try {
    fs.mkdirSync(path, { recursive: true, mode: 0o700 });
    fs.chmodSync(path, 0o700);
  } catch (err) {
    throw ioError(err, path, 'create');
  }
  return true;
}

/** Creates an empty file with mode 0600 if it does not exist (SQLite gives its -wal and -shm files the same mode). */
export function touchPrivate(path: string): boolean {
  try {
    const fd = fs.openSync(path, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o600);
    fs.closeSync(fd);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw ioError(err, path, 'create');
  }
}
