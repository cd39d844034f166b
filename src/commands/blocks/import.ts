import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import { isActive } from '../../core/blocks/block.js';
import { allowlistConflict } from '../../core/blocks/policy.js';
import { parseBlockTarget } from '../../core/blocks/target.js';
import { ExitCode, runtimeError, usageError } from '../../core/errors.js';
import { choiceOption } from '../../cli/choice.js';

export interface ImportOptions {
  from?: string;
}

interface Fail2banBan {
  readonly ip: string;
  readonly jail: string;
  readonly timeofban: number;
  /** Seconds; negative is permanent; undefined when the database predates per-ban times (fail2ban 0.10). */
  readonly bantime: number | undefined;
}

/**
 * Reads the bans of a fail2ban database: `bips` (fail2ban 0.11+, one row per current ban with its own bantime)
 * when present, else `bans`. Opened read-only: fail2ban may be running.
 */
async function readFail2ban(path: string): Promise<Fail2banBan[]> {
  const { default: Database } = await import('better-sqlite3');
  let db;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw runtimeError(`cannot open fail2ban database ${path}: ${(err as Error).message.split('\n')[0]}`, err);
  }
  try {
    const tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]));
    const table = tables.has('bips') ? 'bips' : tables.has('bans') ? 'bans' : undefined;
    if (!table) throw usageError(`${path} is not a fail2ban database (no bips or bans table)`);
    const cols = new Set((db.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>).map((c) => c.name));
    const bantime = cols.has('bantime') ? 'bantime' : 'NULL';
    return (db.prepare(`SELECT ip, jail, timeofban, ${bantime} AS bantime FROM ${table} ORDER BY timeofban`).all() as Array<{ ip: unknown; jail: unknown; timeofban: unknown; bantime: unknown }>).map((r) => ({
      ip: String(r.ip ?? ''),
      jail: String(r.jail ?? ''),
      timeofban: Number(r.timeofban),
      bantime: r.bantime === null || r.bantime === undefined ? undefined : Number(r.bantime),
    }));
  } catch (err) {
    if (err instanceof Error && err.name === 'AgentsecError') throw err;
    throw runtimeError(`cannot read fail2ban database ${path}: ${(err as Error).message.split('\n')[0]}`, err);
  } finally {
    db.close();
  }
}

/**
 * Brings fail2ban's still-active bans in as blocks with their original start and end (a ban without its own
 * bantime gets the policy's blockDuration from its start). Expired bans, invalid addresses and allowlisted ones
 * are counted and skipped; a value already blocked at least as long is left alone. One transaction; each block
 * gets its `blocks.block` audit entry.
 */
export async function runImport(ctx: Ctx, opts: ImportOptions, args: unknown[]): Promise<number> {
  if (opts.from !== 'fail2ban') throw usageError(`--from: '${String(opts.from ?? '').slice(0, 20)}' is not supported: use --from fail2ban`);
  const path = String(args[0]);
  if (!existsSync(path)) throw usageError(`${path}: no such file: give fail2ban's database (usually /var/lib/fail2ban/fail2ban.sqlite3)`);
  const bans = await readFail2ban(path);
  const { openBlocks } = await import('../../blocks/open.js');
  const { blockTx } = await import('../../blocks/engine.js');
  const engine = await openBlocks(ctx);
  const stats = { bans: bans.length, imported: 0, expired: 0, invalid: 0, allowlisted: 0, alreadyBlocked: 0 };
  try {
    const now = ctx.clock().getTime();
    engine.db
      .transaction(() => {
        for (const ban of bans) {
          const t = parseBlockTarget(ban.ip);
          if (!t.ok || !Number.isFinite(ban.timeofban)) {
            stats.invalid++;
            continue;
          }
          const start = ban.timeofban * 1000;
          const expiresAt = ban.bantime !== undefined && ban.bantime < 0 ? null : start + (ban.bantime !== undefined ? ban.bantime * 1000 : engine.policy.blockDurationMs);
          if (expiresAt !== null && expiresAt <= now) {
            stats.expired++;
            continue;
          }
          if (allowlistConflict(engine.allow, t.target)) {
            stats.allowlisted++;
            continue;
          }
          const existing = engine.repo.get(t.target.value);
          if (existing && isActive(existing, now) && (existing.expiresAt === null || (expiresAt !== null && existing.expiresAt >= expiresAt))) {
            stats.alreadyBlocked++;
            continue;
          }
          blockTx(engine, t.target, { expiresAt, reason: `fail2ban jail ${ban.jail}`.slice(0, 500), source: 'import:fail2ban', now: Math.min(start, now) });
          stats.imported++;
        }
      })
      .immediate();
  } finally {
    engine.db.close();
  }
  if (ctx.out.json) ctx.out.document({ from: 'fail2ban', ...stats });
  else ctx.out.success(`imported ${stats.imported} of ${stats.bans} fail2ban bans (${stats.expired} expired, ${stats.alreadyBlocked} already blocked, ${stats.allowlisted} allowlisted, ${stats.invalid} invalid)`);
  return ExitCode.Ok;
}

export function registerImport(parent: Command, app: App): void {
  const cmd = parent
    .command('import')
    .description('import the active bans of a fail2ban database as blocks')
    .argument('<db>', "fail2ban's SQLite database")
    .addOption(choiceOption('--from <tool>', 'source format', ['fail2ban']).makeOptionMandatory())
    .action(action(app, runImport));
  examples(cmd, ['agentsec blocks import --from fail2ban /var/lib/fail2ban/fail2ban.sqlite3']);
}
