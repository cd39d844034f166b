import * as fs from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import ignore from 'ignore';
import type { Ctx } from '../../cli/context.js';
import { VERSION } from '../../platform/version.js';
import { makeChalk } from '../../output/color.js';
import { ExitCode, usageError } from '../../core/errors.js';
import type { LintConfig } from '../../lint/config.js';
import { ENGINE_METAS } from '../../lint/builtin.js';
import { checkFiles, finishLint, type FileRef, type LintOptions as EngineOptions, type LintPart } from '../../lint/engine.js';
import { activeRules, PROFILE_NAMES, type ProfileName, PROFILES, type RuleSetting } from '../../lint/profiles.js';
import type { ConfigSuppression } from '../../lint/suppress.js';
import { severityRank, type LintReport, type Severity } from '../../lint/types.js';
import { renderJunit } from '../../output/junit.js';
import { renderJson, renderTable, renderText, summaryLine } from '../../output/lint-text.js';
import { renderSarif } from '../../output/sarif.js';
import { ioError } from '../../platform/fs.js';
import { formatByName } from '../../lint/formats.js';
import { walkPaths } from '../../platform/walk.js';
import { diskHost, FileTimer, posix } from './host.js';
import { checkInWorkers, poolSize } from './pool.js';
import { FAIL_ON, LINT_SUBCOMMANDS, OUTPUT_FORMATS, type OutputFormat } from './choices.js';
import { nearestValues } from '../../core/suggest.js';
import { checkOutputPath, writeOutputFile } from '../../platform/named-paths.js';
import { progress } from '../../output/progress.js';

export { OUTPUT_FORMATS, FAIL_ON, type OutputFormat };

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

/**
 * The root SARIF URIs are relative to: the git work tree the linted paths are in (what code scanning maps onto the
 * repository, whichever subdirectory lint ran from), else the directory of .agentsec.yaml, else the working directory.
 */
export function projectRoot(start: string, configPath: string | undefined, cwd: string): string {
  for (let dir = start, i = 0; i < 128; i++) {
    if (fs.existsSync(join(dir, '.git'))) return dir;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return configPath ? dirname(configPath) : cwd;
}

/**
 * Lints PATHs (default `.`) and writes each requested format; exit 0 clean, 1 findings at/above --fail-on, 2 usage
 * or parse errors or a named file that could not be linted (unless --allow-skipped), 3 unreadable input.
 */
export async function runLint(ctx: Ctx, paths: readonly string[], opts: LintOptions): Promise<number> {
  const cwd = ctx.io.cwd;
  const fallback: OutputFormat = ctx.globals.json ? 'json' : ctx.io.stdout.isTTY ? 'table' : 'text';
  const outputs = pairOutputs(opts.outputs ?? [], fallback);
  for (const o of outputs) if (o.file !== undefined) checkOutputPath(o.file, '--output', cwd);
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
  if (walked.missing.length > 0) {
    // `agentsec lint rule` reads as a path to lint; a missing path that is a near miss of a subcommand is that typo.
    const first = targets[0] as string;
    const near = walked.missing.includes(first) && /^[a-z-]+$/.test(first) ? nearestValues(first, LINT_SUBCOMMANDS) : [];
    throw usageError(`no such file or directory: ${walked.missing.join(', ')}${near.length > 0 ? `: did you mean agentsec lint ${near[0]}?` : ''}`);
  }

  // Progress by the files of the walk as the engine reads them (it also reads neighbours, which do not count).
  const bar = progress(ctx.io.stderr, { label: 'linting', unit: 'files', quiet: ctx.out.quiet, json: ctx.out.json });
  const started = Date.now();
  const suppressions: ConfigSuppression[] = (cfg.suppressions ?? []).map((s) => ({
    rule: s.rule,
    paths: [...(s.paths ?? []), ...(s.path ? [s.path] : [])],
    reason: s.reason,
    ...(s.expires !== undefined ? { expires: typeof s.expires === 'string' ? s.expires : s.expires.toISOString().slice(0, 10) } : {}),
  }));
  const files: FileRef[] = walked.files.map((abs) => ({ abs, ...(walked.explicit.has(abs) ? { explicit: true } : {}), ...(walked.ignored.has(abs) ? { gitIgnored: true } : {}) }));
  const lintOpts = { rules, profile: PROFILES[profile], suppressions, today: ctx.clock().toISOString().slice(0, 10), configPath: (file: string) => posix(relative(configDir, resolve(cwd, file))) };
  const checked = await checkRun(files, cwd, profile, cfg.rules ?? {}, lintOpts, (done) => bar.update(done, files.length));
  const result = finishLint(checked.parts, lintOpts);

  bar.end();
  const timing = { totalMs: Date.now() - started, fileMs: checked.fileMs, timestamp: new Date(started).toISOString() };
  const report: LintReport = {
    tool: { name: 'agentsec', version: VERSION },
    findings: result.findings,
    notes: result.notes,
    files: result.files,
    rules: [...rules.map((r) => ({ ...r.rule.meta, severity: r.severity })), ...ENGINE_METAS],
    suppressed: result.suppressed,
    silenced: result.silenced,
    parseErrors: result.parseErrors,
    skipped: result.skipped,
    allowSkipped: opts.allowSkipped === true,
    profile,
    failOn,
  };
  for (const o of outputs) {
    const text =
      o.format === 'table' ? renderTable(report, o.file ? makeChalk(0) : ctx.out.chalk, o.file ? undefined : ctx.io.stdout.columns) : o.format === 'text' ? renderText(report) : o.format === 'json' ? renderJson(report) : o.format === 'sarif' ? renderSarif(report, { cwd, root: projectRoot(start, configPath, cwd) }) : renderJunit(report, timing);
    if (o.file === undefined) ctx.io.stdout.write(text);
    else {
      // Atomic, so a CI step that uploads the report never reads half of one; reports are not secret (0644).
      writeOutputFile(resolve(cwd, o.file), text, 0o644);
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
 * Checks the walked files: past a few dozen, in a pool of worker threads (one per core), else here. Either way the
 * parts come back in file order, so the result is the same to the byte. A pool that fails (a worker that cannot
 * start, or dies) is not trusted with half a run: the whole run is checked again here.
 */
async function checkRun(files: readonly FileRef[], cwd: string, profile: ProfileName, ruleOverrides: Readonly<Record<string, RuleSetting>>, opts: EngineOptions, progressTo: (done: number) => void): Promise<{ parts: LintPart[]; fileMs: Map<string, number> }> {
  const workers = poolSize(files.length);
  if (workers > 0) {
    let done = 0;
    try {
      return await checkInWorkers({ cwd, files, profile, ruleOverrides }, workers, (n) => progressTo((done += n)));
    } catch {
      // Checked again in this thread below.
    }
  }
  const timer = new FileTimer(cwd, files.map((f) => f.abs));
  let done = 0;
  const host = diskHost(cwd, (abs) => {
    if (timer.onRead(abs)) progressTo(++done);
  });
  const part = checkFiles(files, host, opts);
  timer.lap(Date.now());
  return { parts: [part], fileMs: timer.fileMs };
}
