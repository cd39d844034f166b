import * as fs from 'node:fs';
import { AgentsecError, ExitCode } from '../core/errors.js';
import type { Config } from '../core/config.js';
import { formatMode, ioError } from './fs.js';

export interface ConfigFileStat {
  readonly uid: number;
  readonly mode: number;
  readonly isFile: boolean;
}

/**
 * Why config.yaml must not be used, or undefined. One rule, for every command (through {@link loadConfig}) and for
 * `doctor`: the config sets the policy (lockouts, block thresholds, token audiences), so whoever can change it can
 * weaken every check. Refused: a file that group or others can write, one owned by a user other than the one
 * running agentsec (or root), anything but a regular file. Being readable by others is fine: it holds no secret.
 */
export function configFileProblem(path: string, st: ConfigFileStat, ourUid: number | undefined = process.getuid?.()): string | undefined {
  if (!st.isFile) return `config ${path} is not a regular file: replace it with one`;
  if (ourUid !== undefined && st.uid !== ourUid && st.uid !== 0) {
    return `config ${path} is owned by another user (uid ${st.uid}), who could change agentsec's policy: chown it to the user running agentsec`;
  }
  const writable = st.mode & 0o022;
  if (writable !== 0) {
    const who = writable === 0o022 ? 'group and others' : writable === 0o020 ? 'its group' : 'others';
    return `config ${path} is writable by ${who} (mode ${formatMode(st.mode & 0o7777)}), who could change agentsec's policy: run chmod go-w ${path}`;
  }
  return undefined;
}

/**
 * Reads config.yaml through one descriptor: the permission check applies to the very file read (fstat), so it
 * cannot be swapped between the check and the read. A missing file is the defaults. yaml and zod load only here.
 */
function readConfigText(path: string): string | undefined {
  let fd: number;
  try {
    // O_NONBLOCK: a FIFO put there must not hang every command; fstat refuses it below.
    fd = fs.openSync(path, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw ioError(err, path, 'read');
  }
  try {
    const st = fs.fstatSync(fd);
    const problem = configFileProblem(path, { uid: st.uid, mode: st.mode, isFile: st.isFile() });
    if (problem !== undefined) throw new AgentsecError(problem, ExitCode.Usage);
    return fs.readFileSync(fd, 'utf8');
  } catch (err) {
    if (err instanceof AgentsecError) throw err;
    throw ioError(err, path, 'read');
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Reads and validates config.yaml; a missing file is the defaults. yaml and zod load only here. Deprecated key
 * spellings are read under their new names, and `warn` gets one line for each.
 */
export async function loadConfig(path: string, warn: (message: string) => void = () => {}): Promise<Config> {
  const text = readConfigText(path);
  if (text === undefined) return {};
  // yaml is CommonJS: its API is the default export once bundled (esbuild) and under Node alike.
  const { parseDocument } = (await import('yaml')).default;
  const { configSchema, renameDeprecatedKeys } = await import('../core/config.js');
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    throw new AgentsecError(`config ${path}: invalid YAML at line ${e?.linePos?.[0]?.line ?? '?'}: ${e?.code ?? 'parse error'}`, ExitCode.Usage);
  }
  const renamed = renameDeprecatedKeys(doc.toJS() ?? {});
  if (renamed.conflict) throw new AgentsecError(`config ${path}: ${renamed.conflict}`, ExitCode.Usage);
  const parsed = configSchema.safeParse(renamed.value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'top level';
    throw new AgentsecError(`config ${path}: ${where}: ${issue?.message ?? 'invalid'}`, ExitCode.Usage);
  }
  // Warned only for a config that is used: a refused one gets its one-line error and nothing else.
  for (const w of renamed.warnings) warn(w);
  return parsed.data;
}
