import * as fs from 'node:fs';
import { relative, sep } from 'node:path';
import { MAX_FILE_BYTES, type LintHost } from '../../lint/engine.js';
import { gitIgnored } from '../../platform/walk.js';

export function posix(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}

/**
 * The engine's window on the disk for a run from `cwd`, in the main thread and in each lint worker alike (so both
 * read, list and display exactly the same). `onRead` sees every read, neighbours included.
 */
export function diskHost(cwd: string, onRead: (abs: string) => void = () => {}): LintHost {
  return {
    read: (abs) => {
      onRead(abs);
      return readConfigFile(abs);
    },
    display: (abs) => posix(relative(cwd, abs)) || '.',
    list(absDir) {
      try {
        return fs.readdirSync(absDir);
      } catch {
        return [];
      }
    },
    ignored: (abs) => gitIgnored(abs),
  };
}

/**
 * Reads a file for the linter: null when it is missing or not a regular file (a FIFO would block, `/dev/zero` never
 * ends: a compose file can point an `env_file:` or a mount anywhere), an empty array for a directory, and at most one
 * byte past the size limit (the engine skips such a file with a note, so a huge file is never read whole).
 */
export function readConfigFile(abs: string): Uint8Array | null {
  let fd: number;
  try {
    fd = fs.openSync(abs, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ENXIO') return null;
    if (code === 'EISDIR') return new Uint8Array();
    throw err;
  }
  try {
    const st = fs.fstatSync(fd);
    if (st.isDirectory()) return new Uint8Array();
    if (!st.isFile()) return null;
    const size = Math.min(st.size, MAX_FILE_BYTES + 1);
    const buf = Buffer.allocUnsafe(size);
    let off = 0;
    while (off < size) {
      const n = fs.readSync(fd, buf, off, size - off, off);
      if (n === 0) break;
      off += n;
    }
    return buf.subarray(0, off);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Times each walked file the way the run's JUnit report shows it: the engine takes the files one by one (read,
 * parse, rules), so from one walked file's first read to the next is that file's time. Neighbours do not count.
 */
export class FileTimer {
  readonly fileMs = new Map<string, number>();
  private current: { abs: string; at: number } | undefined;
  private readonly pending: Set<string>;

  constructor(
    private readonly cwd: string,
    walked: Iterable<string>,
  ) {
    this.pending = new Set(walked);
  }

  /** True the first time a walked file is read. */
  onRead(abs: string): boolean {
    if (!this.pending.delete(abs)) return false;
    const now = Date.now();
    this.lap(now);
    this.current = { abs, at: now };
    return true;
  }

  lap(now: number): void {
    if (this.current) this.fileMs.set(posix(relative(this.cwd, this.current.abs)) || '.', now - this.current.at);
  }
}
