import { statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { AgentsecError, ExitCode } from '../core/errors.js';
import { ioError, writeFileAtomic } from './fs.js';

/**
 * The one rule for every `--output`/`--state` file: its directory must exist (exit 2 otherwise, before any work is
 * done). agentsec never creates parent directories: a typo would plant a tree somewhere, and the mode of a directory
 * made on the user's behalf would be a guess. Returns the absolute path.
 */
export function checkOutputPath(path: string, flag: string, cwd: string): string {
  const abs = resolve(cwd, path);
  const dir = dirname(abs);
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new AgentsecError(`${flag} ${path}: the directory ${dir} does not exist: create it first (mkdir -p ${dir})`, ExitCode.Usage, { cause: err });
    throw new AgentsecError(`${flag} ${path}: cannot use the directory ${dir}: ${code ?? String(err)}`, ExitCode.Runtime, { cause: err });
  }
  if (!isDir) throw new AgentsecError(`${flag} ${path}: ${dir} is not a directory`, ExitCode.Usage);
  try {
    if (statSync(abs).isDirectory()) throw new AgentsecError(`${flag} ${path} is a directory: give a file name`, ExitCode.Usage);
  } catch (err) {
    if (err instanceof AgentsecError) throw err;
    // Not there yet: it will be created.
  }
  return abs;
}

/**
 * The one rule for an input file named on the command line: missing, or a directory where a file goes, is exit 2
 * with one line naming it; unreadable (permissions, I/O) is exit 3. Checked before any work starts.
 */
export function checkInputFile(path: string, what: string, cwd: string): string {
  const abs = resolve(cwd, path);
  let isDir: boolean;
  try {
    isDir = statSync(abs).isDirectory();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new AgentsecError(`${what} ${path}: no such file or directory`, ExitCode.Usage, { cause: err });
    throw new AgentsecError(`cannot read ${what} ${path}: ${code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (code ?? String(err))}`, ExitCode.Runtime, { cause: err });
  }
  if (isDir) throw new AgentsecError(`${what} ${path} is a directory: give a file`, ExitCode.Usage);
  return abs;
}

/**
 * Writes a report to `--output`: atomically (temp file and rename) when it is a regular file or does not exist yet,
 * so a reader never sees half of it; straight into it when it is a device or a FIFO (`/dev/stdout`, `/dev/null`, a
 * named pipe), which a rename would replace instead of writing to.
 */
export function writeOutputFile(path: string, text: string, mode: number): void {
  let special = false;
  try {
    special = !statSync(path).isFile();
  } catch {
    special = false;
  }
  if (!special) return writeFileAtomic(path, text, { mode });
  try {
    writeFileSync(path, text);
  } catch (err) {
    throw ioError(err, path, 'write');
  }
}
