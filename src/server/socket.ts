/** The Unix socket listener's file: a stale socket is replaced, anything else refused; mode 0600, or 0660 for a group. */
import { chmodSync, chownSync, lstatSync, readFileSync, unlinkSync } from 'node:fs';
import { AgentsecError, ExitCode, usageError } from '../core/errors.js';

/** The gid of a group name (from /etc/group) or number. */
export function groupId(group: string): number {
  if (/^\d+$/.test(group)) return Number(group);
  let text = '';
  try {
    text = readFileSync('/etc/group', 'utf8');
  } catch {
    /* no group database: the name cannot be resolved */
  }
  for (const line of text.split('\n')) {
    const [name, , gid] = line.split(':');
    if (name === group && gid !== undefined && /^\d+$/.test(gid)) return Number(gid);
  }
  throw usageError(`config serve.socketGroup: no group named '${group}'`);
}

/** Removes a socket left by a previous run; refuses to remove anything that is not a socket. */
export function clearStaleSocket(path: string): void {
  let st;
  try {
    st = lstatSync(path);
  } catch {
    return;
  }
  if (!st.isSocket()) throw usageError(`--socket ${path}: a file that is not a socket is in the way: remove it or pick another path`);
  unlinkSync(path);
}

/** Sets the socket's mode and group once it is bound (it was created under a 0177 umask, so never wider before). */
export function secureSocket(path: string, group: string | undefined): void {
  try {
    if (group !== undefined) {
      chownSync(path, -1, groupId(group));
      chmodSync(path, 0o660);
    } else chmodSync(path, 0o600);
  } catch (err) {
    if (err instanceof AgentsecError) throw err;
    throw new AgentsecError(`--socket ${path}: cannot set its mode or group: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, ExitCode.Runtime);
  }
}
