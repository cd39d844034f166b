import * as fs from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import { formatDuration } from '../../core/duration.js';
import { AgentsecError, ExitCode } from '../../core/errors.js';
import { formatMode, inspectMode } from '../../platform/fs.js';
import { configFileProblem } from '../../platform/config.js';
import { loadMasterKey, masterKeyMode, PASSPHRASE_ENV } from '../../platform/master-key.js';

export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface Check {
  readonly name: string;
  readonly status: CheckStatus;
  readonly detail: string;
}

export interface DoctorReport {
  readonly home: string;
  readonly store: string;
  readonly storeSchemaVersion: number | null;
  readonly latestSchemaVersion: number;
  readonly masterKey: 'key-file' | 'passphrase' | null;
  readonly checks: Check[];
  readonly ok: boolean;
}

/** config.yaml is judged by the rule every command applies when it loads it (configFileProblem), not the 0600 rule. */
function configPermissionCheck(path: string): Check {
  let st: fs.Stats;
  try {
    st = fs.statSync(path);
  } catch (err) {
    return { name: `permissions ${path}`, status: 'fail', detail: (err as NodeJS.ErrnoException).code ?? 'unreadable' };
  }
  const problem = configFileProblem(path, { uid: st.uid, mode: st.mode, isFile: st.isFile() });
  return problem !== undefined ? { name: `permissions ${path}`, status: 'fail', detail: problem } : { name: `permissions ${path}`, status: 'ok', detail: `mode ${formatMode(st.mode & 0o777)}` };
}

function permissionChecks(home: string, configPath: string): Check[] {
  const checks: Check[] = [];
  const homeMode = inspectMode(home);
  checks.push(
    !homeMode.ownedByUs
      ? { name: `permissions ${home}`, status: 'fail', detail: 'owned by another user' }
      : homeMode.openToOthers
        ? { name: `permissions ${home}`, status: 'fail', detail: `mode ${formatMode(homeMode.mode)}: run chmod 700 ${home}` }
        : { name: `permissions ${home}`, status: 'ok', detail: `mode ${formatMode(homeMode.mode)}` },
  );
  let names: string[] = [];
  try {
    names = fs.readdirSync(home).sort();
  } catch (err) {
    checks.push({ name: `read ${home}`, status: 'fail', detail: (err as NodeJS.ErrnoException).code ?? 'unreadable' });
  }
  const paths: string[] = [];
  for (const name of names) {
    const path = join(home, name);
    paths.push(path);
    // One level down: the audit signing keys live in audit-keys/.
    if (inspectMode(path).isDirectory) {
      try {
        for (const sub of fs.readdirSync(path).sort()) paths.push(join(path, sub));
      } catch {
        /* reported as a permission problem of the directory itself */
      }
    }
  }
  for (const path of paths) {
    if (path === configPath) {
      checks.push(configPermissionCheck(path));
      continue;
    }
    const r = inspectMode(path);
    const want = r.isDirectory ? '700' : '600';
    if (!r.ownedByUs) checks.push({ name: `permissions ${path}`, status: 'fail', detail: 'owned by another user' });
    else if (r.openToOthers) checks.push({ name: `permissions ${path}`, status: 'fail', detail: `mode ${formatMode(r.mode)}: run chmod ${want} ${path}` });
    else checks.push({ name: `permissions ${path}`, status: 'ok', detail: `mode ${formatMode(r.mode)}` });
  }
  return checks;
}

async function masterKeyCheck(ctx: Ctx): Promise<{ check: Check; mode: 'key-file' | 'passphrase' | null }> {
  const mode = masterKeyMode(ctx.paths) ?? null;
  if (mode === null) return { mode, check: { name: 'master key', status: 'fail', detail: 'missing: run agentsec init' } };
  if (mode === 'passphrase' && !ctx.env[PASSPHRASE_ENV]) {
    return { mode, check: { name: 'master key', status: 'warn', detail: `derived from a passphrase; set ${PASSPHRASE_ENV} to check it` } };
  }
  try {
    (await loadMasterKey(ctx.paths, ctx.env)).fill(0);
    return { mode, check: { name: 'master key', status: 'ok', detail: mode === 'key-file' ? `present (${ctx.paths.masterKey})` : 'passphrase verified' } };
  } catch (err) {
    return { mode, check: { name: 'master key', status: 'fail', detail: err instanceof AgentsecError ? err.message : String(err) } };
  }
}

async function storeChecks(ctx: Ctx): Promise<{ checks: Check[]; version: number | null; latest: number }> {
  const { latestSchemaVersion, openStore } = await import('../../store/open.js');
  const latest = await latestSchemaVersion();
  const path = ctx.paths.db;
  if (!fs.existsSync(path)) return { checks: [{ name: 'store', status: 'fail', detail: `missing ${path}: run agentsec init` }], version: null, latest };
  const checks: Check[] = [];
  let version: number | null = null;
  try {
    const store = await openStore(path, { readonly: true, migrate: false });
    try {
      version = await store.schemaVersion();
      if (version > latest) checks.push({ name: 'schema version', status: 'fail', detail: `${version} is newer than this agentsec supports (${latest}): upgrade agentsec` });
      else if (version < latest) checks.push({ name: 'schema version', status: 'warn', detail: `${version}, migrated to ${latest} on next use` });
      else checks.push({ name: 'schema version', status: 'ok', detail: String(version) });
      const problems = await store.check();
      checks.push(problems.length === 0 ? { name: 'integrity', status: 'ok', detail: 'ok' } : { name: 'integrity', status: 'fail', detail: problems.slice(0, 3).join('; ') });
    } finally {
      await store.close();
    }
  } catch (err) {
    checks.push({ name: 'store', status: 'fail', detail: err instanceof Error ? err.message.split('\n')[0] ?? '' : String(err) });
  }
  return { checks, version, latest };
}

/** The audit chain: initialised, its current signing key present, sealed recently enough. */
async function auditChecks(ctx: Ctx): Promise<Check[]> {
  const { openStore } = await import('../../store/open.js');
  const { openAuditLog, auditSettings } = await import('../../services/audit.js');
  const store = await openStore(ctx.paths.db, { readonly: true, migrate: false });
  try {
    const log = await openAuditLog(ctx, store);
    const s = await log.status();
    if (!(await log.publicKey()) || !s.last) return [{ name: 'audit chain', status: 'fail', detail: 'not initialised: run agentsec init' }];
    const { epochMs } = await auditSettings(ctx);
    const age = ctx.clock().getTime() - s.last.time;
    return [
      { name: 'audit chain', status: 'ok', detail: `${s.entries} entries, ${s.checkpoints} checkpoints, ${s.unsealed} unsealed` },
      s.signingKey?.ok
        ? { name: 'audit signing key', status: 'ok', detail: `epoch ${s.last.epoch + 1}` }
        : { name: 'audit signing key', status: 'fail', detail: `${s.signingKey?.message ?? 'no signing key'}: the chain can no longer be sealed (changes are still recorded, unsealed): run agentsec audit rekey` },
      age > 2 * epochMs
        ? { name: 'audit seal', status: 'warn', detail: `last checkpoint ${formatDuration(age)} ago (over two epochs): run agentsec audit seal from cron` }
        : { name: 'audit seal', status: 'ok', detail: `last checkpoint ${formatDuration(age)} ago` },
    ];
  } finally {
    await store.close();
  }
}

/** Reports the health of the home without changing anything; exit 1 when something is wrong. */
export async function runDoctor(ctx: Ctx): Promise<number> {
  const { paths } = ctx;
  const checks: Check[] = [];
  let version: number | null = null;
  let latest = 0;
  let mode: DoctorReport['masterKey'] = null;
  const home = inspectMode(paths.home);
  if (!home.exists) {
    checks.push({ name: 'home', status: 'fail', detail: `missing ${paths.home}: run agentsec init` });
    latest = await (await import('../../store/open.js')).latestSchemaVersion();
  } else if (!home.isDirectory) {
    checks.push({ name: 'home', status: 'fail', detail: `${paths.home} is not a directory` });
  } else {
    checks.push({ name: 'home', status: 'ok', detail: paths.home });
    checks.push(...permissionChecks(paths.home, paths.config));
    const store = await storeChecks(ctx);
    checks.push(...store.checks);
    version = store.version;
    latest = store.latest;
    const mk = await masterKeyCheck(ctx);
    checks.push(mk.check);
    mode = mk.mode;
    if (fs.existsSync(paths.config)) {
      try {
        const { loadConfig } = await import('../../platform/config.js');
        await loadConfig(paths.config);
        checks.push({ name: 'config', status: 'ok', detail: paths.config });
      } catch (err) {
        checks.push({ name: 'config', status: 'fail', detail: err instanceof AgentsecError ? err.message : String(err) });
      }
    }
    if (version !== null && version >= 2 && version <= latest) {
      try {
        checks.push(...(await auditChecks(ctx)));
      } catch (err) {
        checks.push({ name: 'audit chain', status: 'fail', detail: err instanceof AgentsecError ? err.message : String(err) });
      }
    }
  }
  const ok = checks.every((c) => c.status !== 'fail');
  const report: DoctorReport = { home: paths.home, store: paths.db, storeSchemaVersion: version, latestSchemaVersion: latest, masterKey: mode, checks, ok };
  if (ctx.out.json) {
    ctx.out.document({ ...report });
  } else {
    const c = ctx.out.chalk;
    const mark = (s: CheckStatus) => (s === 'ok' ? c.green('ok') : s === 'warn' ? c.yellow('warn') : c.red('FAIL'));
    ctx.out.table(
      [
        { header: 'STATUS', value: (r: Check) => r.status, style: (_t: string, r: Check) => mark(r.status) },
        { header: 'CHECK', value: (r: Check) => r.name },
        { header: 'DETAIL', value: (r: Check) => r.detail },
      ],
      checks,
    );
    if (!ok) ctx.out.info(`${checks.filter((x) => x.status === 'fail').length} problem(s) found`);
  }
  return ok ? ExitCode.Ok : ExitCode.Negative;
}

export function registerDoctor(program: Command, app: App): void {
  const cmd = program
    .command('doctor')
    .description('check the home, store, master key and file permissions; exit 1 when something is wrong')
    .action(action(app, (ctx) => runDoctor(ctx)));
  examples(cmd, ['agentsec doctor', 'agentsec doctor --json | jq .checks']);
}
