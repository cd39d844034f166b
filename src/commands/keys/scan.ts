import * as fs from 'node:fs';
import { join, relative, isAbsolute } from 'node:path';
import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import { displayForm, parseApiKey } from '../../core/apikeys/format.js';
import { keyStatus } from '../../core/apikeys/record.js';
import { ExitCode, usageError } from '../../core/errors.js';
import { ioError } from '../../platform/fs.js';
import { count } from '../../output/plural.js';

export type FindingStatus = 'active' | 'revoked' | 'expired' | 'not-found' | 'unknown';

export interface ScanFinding {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** Display form only (`ask_…abcd`): a report must not spread the key it warns about. */
  readonly key: string;
  readonly id: string | null;
  readonly status: FindingStatus;
}

const SKIP_DIRS = new Set(['.git', 'node_modules', '.hg', '.svn']);
const MAX_FILE_BYTES = 16 * 1024 * 1024;

function* walk(path: string, top: boolean, skipped: string[]): Generator<string> {
  let st: fs.Stats;
  try {
    // Named paths follow symlinks; inside a tree they are skipped, so a link loop cannot trap the walk.
    st = top ? fs.statSync(path) : fs.lstatSync(path);
  } catch (err) {
    if (top) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw usageError(`scan: ${path}: no such file or directory`);
      throw ioError(err, path, 'read');
    }
    skipped.push(path);
    return;
  }
  if (st.isDirectory()) {
    let names: string[];
    try {
      names = fs.readdirSync(path).sort();
    } catch (err) {
      if (top) throw ioError(err, path, 'read');
      skipped.push(path);
      return;
    }
    for (const n of names) if (!SKIP_DIRS.has(n)) yield* walk(join(path, n), false, skipped);
  } else if (st.isFile()) {
    if (st.size > MAX_FILE_BYTES) skipped.push(path);
    else yield path;
  }
}

/** Finds agentsec keys in files and says which are still active; exit 1 when any active (or unverifiable) key is found. */
export async function runScan(ctx: Ctx, _opts: unknown, args: unknown[]): Promise<number> {
  const paths = (args[0] as string[] | undefined) ?? [];
  if (paths.length === 0) throw usageError('scan: give at least one file or directory');
  const { findApiKeys } = await import('../../core/apikeys/scan.js');
  const found: Array<{ file: string; line: number; column: number; key: string }> = [];
  const skipped: string[] = [];
  let scanned = 0;
  for (const p of paths) {
    const abs = isAbsolute(p) ? p : join(ctx.io.cwd, p);
    for (const file of walk(abs, true, skipped)) {
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch (err) {
        if (file === abs) throw ioError(err, p, 'read');
        skipped.push(file);
        continue;
      }
      scanned++;
      const shown = isAbsolute(p) ? file : relative(ctx.io.cwd, file) || p;
      for (const f of findApiKeys(text)) found.push({ file: shown, ...f });
    }
  }
  for (const s of skipped) ctx.out.warn(`skipped ${s} (unreadable or larger than 16 MiB)`);

  const findings: ScanFinding[] = [];
  const haveStore = fs.existsSync(ctx.paths.db);
  if (found.length > 0 && !haveStore) {
    ctx.out.warn(`no agentsec store in ${ctx.paths.home}: cannot tell whether the keys found are active, so they count as active (pass --home)`);
  }
  const services = found.length > 0 && haveStore ? await import('../../services/keys.js') : undefined;
  const keys = services ? await services.openKeys(ctx) : undefined;
  try {
    const now = ctx.clock().getTime();
    for (const f of found) {
      const parsed = parseApiKey(f.key);
      const display = parsed.ok ? displayForm(parsed.key.prefix, f.key.slice(-4)) : '?';
      let id: string | null = null;
      let status: FindingStatus = 'unknown';
      if (keys && services) {
        const hit = await services.findKey(keys, f.key);
        if (hit) {
          id = hit.id;
          status = keyStatus(hit, now);
        } else status = 'not-found';
      }
      findings.push({ file: f.file, line: f.line, column: f.column, key: display, id, status });
    }
  } finally {
    await keys?.close();
  }

  const alarming = findings.filter((f) => f.status === 'active' || f.status === 'unknown').length;
  if (ctx.out.json) {
    ctx.out.document({ findings, active: alarming, scanned, skipped: skipped.length });
  } else {
    ctx.out.table<ScanFinding>(
      [
        { header: 'LOCATION', value: (f) => `${f.file}:${f.line}:${f.column}`, wrap: true, min: 16 },
        { header: 'KEY', value: (f) => f.key, keep: true },
        { header: 'ID', value: (f) => f.id ?? '-', keep: true },
        { header: 'STATUS', value: (f) => f.status, style: (t) => (t === 'active' || t === 'unknown' ? ctx.out.chalk.red(t) : t) },
      ],
      findings,
    );
    if (findings.length === 0) ctx.out.success('no agentsec API keys found');
    else if (alarming > 0) ctx.out.info(`${count(alarming, 'active API key')} found: revoke ${alarming === 1 ? 'it' : 'them'} (agentsec keys revoke ID) and remove ${alarming === 1 ? 'it' : 'them'} from these files`);
    else ctx.out.info(`${count(findings.length, 'inactive API key')} found; none is active`);
    ctx.out.info(`scanned ${count(scanned, 'file')}${skipped.length > 0 ? `, ${skipped.length} skipped` : ''}`);
  }
  return alarming > 0 ? ExitCode.Negative : ExitCode.Ok;
}

export function registerScan(parent: Command, app: App): void {
  const cmd = parent
    .command('scan')
    .description('find agentsec API keys in files (checksum-valid only) and report which are active; exit 1 if any is')
    .argument('<path...>', 'files or directories (.git and node_modules are skipped)')
    .action(action(app, runScan));
  examples(cmd, ['agentsec keys scan .', 'agentsec keys scan --json logs/ .env | jq ".findings[] | select(.status==\\"active\\")"']);
}
