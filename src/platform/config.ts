import * as fs from 'node:fs';
import { AgentsecError, ExitCode } from '../core/errors.js';
import type { Config } from '../core/config.js';
import { ioError } from './fs.js';

/**
 * Reads and validates config.yaml; a missing file is the defaults. yaml and zod load only here. Deprecated key
 * spellings are read under their new names, and `warn` gets one line for each.
 */
export async function loadConfig(path: string, warn: (message: string) => void = () => {}): Promise<Config> {
  let text: string;
  try {
    text = fs.readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw ioError(err, path, 'read');
  }
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
