/** `blocks import --from fail2ban`: the active bans of a fail2ban database, brought in as blocks. */
import { isActive } from '../../core/blocks/block.js';
import { allowlistConflict } from '../../core/blocks/policy.js';
import { parseBlockTarget } from '../../core/blocks/target.js';
import { runtimeError, usageError } from '../../core/errors.js';
import { blockIn, type BlocksDeps } from './engine.js';

export interface Fail2banBan {
  readonly ip: string;
  readonly jail: string;
  readonly timeofban: number;
  /** Seconds; negative is permanent; undefined when the database predates per-ban times (fail2ban 0.10). */
  readonly bantime: number | undefined;
}

export interface ImportStats {
  bans: number;
  imported: number;
  expired: number;
  invalid: number;
  allowlisted: number;
  alreadyBlocked: number;
}

/**
 * Reads the bans of a fail2ban database: `bips` (fail2ban 0.11+, one row per current ban with its own bantime)
 * when present, else `bans`. Opened read-only: fail2ban may be running. Done before any transaction of ours.
 */
export async function readFail2banBans(path: string): Promise<Fail2banBan[]> {
  const { default: Database } = await import('better-sqlite3');
  let db;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw runtimeError(`cannot open fail2ban database ${path}: ${(err as Error).message.split('\n')[0]}`, err);
  }
  try {
    const tables = new Set(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]);
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
 * Brings still-active bans in as blocks with their original start and end (a ban without its own bantime gets the
 * policy's blockDuration from its start). Expired bans, invalid addresses and allowlisted ones are counted and
 * skipped; a value already blocked at least as long is left alone. One transaction, so an import is whole or
 * absent; each block gets its `blocks.block` audit entry in it.
 */
export async function importBans(d: BlocksDeps, bans: readonly Fail2banBan[]): Promise<ImportStats> {
  const stats: ImportStats = { bans: bans.length, imported: 0, expired: 0, invalid: 0, allowlisted: 0, alreadyBlocked: 0 };
  const now = d.clock().getTime();
  await d.store.transaction(async (tx) => {
    for (const ban of bans) {
      const t = parseBlockTarget(ban.ip);
      if (!t.ok || !Number.isFinite(ban.timeofban)) {
        stats.invalid++;
        continue;
      }
      const start = ban.timeofban * 1000;
      const expiresAt = ban.bantime !== undefined && ban.bantime < 0 ? null : start + (ban.bantime !== undefined ? ban.bantime * 1000 : d.policy.blockDurationMs);
      if (expiresAt !== null && expiresAt <= now) {
        stats.expired++;
        continue;
      }
      if (allowlistConflict(d.allow, t.target)) {
        stats.allowlisted++;
        continue;
      }
      const existing = await tx.blocks.get(t.target.value);
      if (existing && isActive(existing, now) && (existing.expiresAt === null || (expiresAt !== null && existing.expiresAt >= expiresAt))) {
        stats.alreadyBlocked++;
        continue;
      }
      await blockIn(d, tx, t.target, { expiresAt, reason: `fail2ban jail ${ban.jail}`.slice(0, 500), source: 'import:fail2ban', now: Math.min(start, now) });
      stats.imported++;
    }
  });
  return stats;
}
