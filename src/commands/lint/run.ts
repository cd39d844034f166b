import * as fs from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import ignore from 'ignore';
import type { Ctx } from '../../cli/context.js';
import { VERSION } from '../../platform/version.js';
import { makeChalk } from '../../output/color.js';
import { ExitCode, usageError } from '../../core/errors.js';
import type { LintConfig } from '../../lint/config.js';
import { ENGINE_METAS } from '../../lint/builtin.js';
import { lintFiles, MAX_FILE_BYTES, type LintHost } from '../../lint/engine.js';
import { activeRules, PROFILE_NAMES, type ProfileName, PROFILES } from '../../lint/profiles.js';
import type { ConfigSuppression } from '../../lint/suppress.js';
import { severityRank, type LintReport, type Severity } from '../../lint/types.js';
import { renderJunit } from '../../output/junit.js';
import { renderJson, renderTable, renderText, summaryLine } from '../../output/lint-text.js';
import { renderSarif } from '../../output/sarif.js';
import { ioError } from '../../platform/fs.js';
import { formatByName } from '../../lint/formats.js';
import { gitIgnored, walkPaths } from '../../platform/walk.js';

export const OUTPUT_FORMATS = ['table', 'text', 'json', 'sarif', 'junit'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
export const FAIL_ON = ['critical', 'high', 'medium', 'low'] as const;

export interface LintOptions {
  /** `--format` and `--output` in the order given. */
  readonly outputs?: readonly OutputToken[];
  readonly failOn?: string;
  readonly profile?: string;
  readonly config?: string;
  /** Exit 0 even when a file named on the command line could not be linted (the note stays). */
  readonly allowSkipped?: boolean;
}

const CONFIG_NAMES = ['.agentsec.yaml', '.agentsec.yml'];

function formatFromExtension(file: string): OutputFormat {
  if (/\.sarif(?:\.json)?$/i.test(file)) return 'sarif';
  if (/\.json$/i.test(file)) return 'json';
  if (/\.xml$/i.test(file)) return 'junit';
  return 'text';
}

export type OutputToken = { readonly kind: 'format' | 'output'; readonly value: string };

/**
 * Pairs `--format` and `--output` as written: an `--output` takes the `--format` just before it; a `--format` with no
 * `--output` after it goes to stdout (at most one may); an `--output` with no `--format` before it takes its format
 * from the extension (.sarif, .json, .xml, else text).
 */
export function pairOutputs(tokens: readonly OutputToken[], fallback: OutputFormat): Array<{ format: OutputFormat; file: string | undefined }> {
  const pairs: Array<{ format: OutputFormat; file: string | undefined }> = [];
  let pending: OutputFormat | undefined;
  for (const t of tokens) {
    if (t.kind === 'format') {
      if (!(OUTPUT_FORMATS as readonly string[]).includes(t.value)) throw usageError(`--format: unknown format '${t.value}': use one of ${OUTPUT_FORMATS.join(', ')}`);
      if (pending) pairs.push({ format: pending, file: undefined });
      pending = t.value as OutputFormat;
    } else {
      pairs.push({ format: pending ?? formatFromExtension(t.value), file: t.value });
      pending = undefined;
    }
  }
  if (pending) pairs.push({ format: pending, file: undefined });
  if (pairs.length === 0) pairs.push({ format: fallback, file: undefined });
  if (pairs.filter((p) => p.file === undefined).length > 1) throw usageError('--format: only one format can go to stdout; give the others an --output FILE');
  const files = pairs.map((p) => p.file).filter((f): f is string => f !== undefined);
  if (new Set(files).size !== files.length) throw usageError('--output: the same file is named twice');
  return pairs;
}

/** `.agentsec.yaml` from --config, else the first found walking up from `start`. */
export function findConfig(start: string, explicit: string | undefined, cwd: string): string | undefined {
  if (explicit !== undefined) {
    const p = resolve(cwd, explicit);
    if (!fs.existsSync(p)) throw usageError(`--config: ${explicit} does not exist`);
    return p;
  }
  let dir = start;
  for (let i = 0; i < 128; i++) {
    for (const name of CONFIG_NAMES) {
      const p = join(dir, name);
      if (fs.existsSync(p)) return p;
    }
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
  return undefined;
}

async function loadLintConfig(path: string | undefined): Promise<LintConfig> {
  if (path === undefined) return {};
  let text: string;
  try {
    text = fs.readFileSync(path, 'utf8');
  } catch (err) {
    throw ioError(err, path, 'read');
  }
  // yaml is CommonJS: its API is the default export once bundled (esbuild) and under Node alike.
  const { parseDocument } = (await import('yaml')).default;
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length > 0) throw usageError(`config ${path}: invalid YAML at line ${doc.errors[0]?.linePos?.[0]?.line ?? '?'}`);
  // zod loads only when there is a config to check: most runs have none.
  const { validateLintConfig } = await import('../../lint/config.js');
  return validateLintConfig(doc.toJS(), `config ${path}`);
}

function posix(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}

/**
 * Lints PATHs (default `.`) and writes each requested format; exit 0 clean, 1 findings at/above --fail-on, 2 usage
 * or parse errors or a named file that could not be linted (unless --allow-skipped), 3 unreadable input.
 */
export async function runLint(ctx: Ctx, paths: readonly string[], opts: LintOptions): Promise<number> {
  const cwd = ctx.io.cwd;
  const fallback: OutputFormat = ctx.globals.json ? 'json' : ctx.io.stdout.isTTY ? 'table' : 'text';
  const outputs = pairOutputs(opts.outputs ?? [], fallback);
  if (opts.failOn !== undefined && !(FAIL_ON as readonly string[]).includes(opts.failOn)) throw usageError(`--fail-on: unknown severity '${opts.failOn}': use one of ${FAIL_ON.join(', ')}`);
  if (opts.profile !== undefined && !(PROFILE_NAMES as readonly string[]).includes(opts.profile)) throw usageError(`--profile: unknown profile '${opts.profile}': use default or strict`);
  const targets = paths.length > 0 ? paths : ['.'];
  const firstAbs = resolve(cwd, targets[0] as string);
  const start = fs.existsSync(firstAbs) && fs.statSync(firstAbs).isDirectory() ? firstAbs : dirname(firstAbs);
  const configPath = findConfig(start, opts.config, cwd);
  const cfg = await loadLintConfig(configPath);
  const configDir = configPath ? dirname(configPath) : cwd;
  const profile = (opts.profile ?? cfg.profile ?? 'default') as ProfileName;
  const failOn = (opts.failOn ?? cfg.failOn ?? 'high') as Severity;
  const rules = activeRules(profile, cfg.rules ?? {});

  const ig = ignore().add(cfg.ignore ?? []);
  const skip = (abs: string, isDir: boolean): boolean => {
    const rel = posix(relative(configDir, abs));
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return false;
    return ig.ignores(isDir ? `${rel}/` : rel);
  };
  // A git-ignored .env is what a server runs: walked and linted like the rest, only never reported as committed.
  const walked = walkPaths(targets, cwd, skip, { keepIgnored: (name) => formatByName(name) === 'env' });
  if (walked.missing.length > 0) throw usageError(`no such file or directory: ${walked.missing.join(', ')}`);

  const host: LintHost = {
    read: readConfigFile,
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
  const suppressions: ConfigSuppression[] = (cfg.suppressions ?? []).map((s) => ({
    rule: s.rule,
    paths: [...(s.paths ?? []), ...(s.path ? [s.path] : [])],
    reason: s.reason,
    ...(s.expires !== undefined ? { expires: typeof s.expires === 'string' ? s.expires : s.expires.toISOString().slice(0, 10) } : {}),
  }));
  const result = lintFiles(
    walked.files.map((abs) => ({ abs, ...(walked.explicit.has(abs) ? { explicit: true } : {}), ...(walked.ignored.has(abs) ? { gitIgnored: true } : {}) })),
    host,
    { rules, profile: PROFILES[profile], suppressions, today: ctx.clock().toISOString().slice(0, 10), configPath: (file) => posix(relative(configDir, resolve(cwd, file))) },
  );

  const report: LintReport = {
    tool: { name: 'agentsec', version: VERSION },
    findings: result.findings,
    notes: result.notes,
    files: result.files,
    rules: [...rules.map((r) => ({ ...r.rule.meta, severity: r.severity })), ...ENGINE_METAS],
    suppressed: result.suppressed,
    parseErrors: result.parseErrors,
    skipped: result.skipped,
    allowSkipped: opts.allowSkipped === true,
    profile,
    failOn,
  };
  for (const o of outputs) {
    const text =
      o.format === 'table' ? renderTable(report, o.file ? makeChalk(0) : ctx.out.chalk) : o.format === 'text' ? renderText(report) : o.format === 'json' ? renderJson(report) : o.format === 'sarif' ? renderSarif(report) : renderJunit(report);
    if (o.file === undefined) ctx.io.stdout.write(text);
    else {
      const path = resolve(cwd, o.file);
      try {
        fs.mkdirSync(dirname(path), { recursive: true });
        fs.writeFileSync(path, text);
      } catch (err) {
        throw ioError(err, o.file, 'write');
      }
    }
  }
  for (const n of result.notes) {
    if (n.kind === 'suppression' || (n.kind === 'skipped' && opts.allowSkipped)) ctx.out.info(`note: ${n.file}: ${n.message}`);
    else if (n.kind === 'skipped') ctx.out.warn(`${n.file}: ${n.message} (pass --allow-skipped to let the run pass without it)`);
    else ctx.out.warn(`${n.file}: ${n.message}`);
  }
  const stdoutFormat = outputs.find((o) => o.file === undefined)?.format;
  if (stdoutFormat !== 'table') ctx.out.info(summaryLine(report));

  // Fail closed: a file that could not be checked, as its format or at all, never lets the run pass.
  if (result.parseErrors > 0 || (result.skippedExplicit > 0 && !opts.allowSkipped)) return ExitCode.Usage;
  if (result.runtimeFailures > 0) return ExitCode.Runtime;
  const threshold = severityRank(failOn);
  return result.findings.some((f) => severityRank(f.severity) >= threshold) ? ExitCode.Negative : ExitCode.Ok;
}

/**
 * Reads a file for the linter: null when it is missing or not a regular file (a FIFO would block, `/dev/zero` never
 * ends: a compose file can point an `env_file:` or a mount anywhere), an empty array for a directory, and at most one
 * byte past the size limit (the engine skips such a file with a note, so a huge file is never read whole).
 */
function readConfigFile(abs: string): Uint8Array | null {
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
