import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import { parseCanon } from '../../core/audit/entry.js';
import { ExitCode, usageError } from '../../core/errors.js';
import type { EntryRow, LogQuery } from '../../store/audit.js';
import { sleepUnlessAborted } from '../../platform/sleep.js';
import { isoTime, openAuditStore, parseIntArg, parseTimeArg } from './shared.js';

export interface LogOptions {
  readonly type?: string;
  readonly since?: string;
  readonly until?: string;
  readonly actor?: string;
  readonly limit?: string;
  readonly last?: string;
  readonly follow?: boolean;
}

interface LogRecord {
  seq: number;
  time: string;
  ts: number;
  epoch: number;
  type: string;
  actor: unknown;
  data: unknown;
  hash: string;
  /** The exact signed text, as in the export: a record of `audit log --json` can be checked against it. */
  canon: string;
}

function toRecord(row: EntryRow): LogRecord | undefined {
  const e = parseCanon(row.canon);
  if (!e) return undefined;
  return { seq: row.seq, time: isoTime(e.ts), ts: e.ts, epoch: e.epoch, type: e.type, actor: e.actor, data: e.data, hash: row.hash, canon: row.canon };
}

function actorText(actor: unknown): string {
  if (actor && typeof actor === 'object' && !Array.isArray(actor)) {
    const a = actor as Record<string, unknown>;
    for (const k of ['user', 'name', 'id']) if (typeof a[k] === 'string') return a[k] as string;
  }
  return actor === null ? '' : JSON.stringify(actor);
}

export async function runLog(ctx: Ctx, opts: LogOptions): Promise<number> {
  const now = ctx.clock().getTime();
  const query: LogQuery = {
    type: opts.type,
    since: opts.since !== undefined ? parseTimeArg(opts.since, '--since', now) : undefined,
    until: opts.until !== undefined ? parseTimeArg(opts.until, '--until', now) : undefined,
    actor: opts.actor,
    limit: opts.limit !== undefined ? parseIntArg(opts.limit, '--limit', 1) : undefined,
    last: opts.last !== undefined ? parseIntArg(opts.last, '--last', 1) : undefined,
  };
  if (query.limit !== undefined && query.last !== undefined) throw usageError('give --limit (the oldest N) or --last (the newest N), not both');
  if (query.limit !== undefined && opts.follow) throw usageError('--limit picks the oldest entries and cannot follow: use -n N -f for the newest N, then new ones');
  const store = await openAuditStore(ctx, { readonly: true });
  try {
    const rows = await store.audit.query(query);
    const records = rows.map(toRecord).filter((r): r is LogRecord => r !== undefined);
    if (ctx.out.json || opts.follow) {
      for (const r of records) ctx.out.record(r);
    } else {
      const wide = !ctx.out.isTTY;
      ctx.out.table(
        [
          { header: 'SEQ', value: (r: LogRecord) => r.seq, keep: true },
          { header: 'TIME', value: (r: LogRecord) => r.time, keep: true },
          { header: 'TYPE', value: (r: LogRecord) => r.type, keep: true },
          { header: 'ACTOR', value: (r: LogRecord) => actorText(r.actor), drop: 1 },
          { header: 'DATA', value: (r: LogRecord) => { const d = JSON.stringify(r.data); return wide || d.length <= 80 ? d : `${d.slice(0, 79)}…`; } },
        ],
        records,
      );
    }
    if (!opts.follow) return ExitCode.Ok;
    // Follow: poll for new entries until interrupted; JSON Lines, one entry per line, as they are committed.
    let last = rows.length > 0 ? (rows[rows.length - 1] as EntryRow).seq : ((await store.audit.head())?.seq ?? -1);
    while (!ctx.io.signal.aborted) {
      await sleepUnlessAborted(500, ctx.io.signal);
      if (ctx.io.signal.aborted) break;
      for (const row of await store.audit.query({ ...query, limit: undefined, last: undefined, since: query.since, afterSeq: last })) {
        last = row.seq;
        const r = toRecord(row);
        if (r) ctx.out.record(r);
      }
    }
    return ExitCode.Interrupted;
  } finally {
    await store.close();
  }
}

export function registerLog(parent: Command, app: App): void {
  const cmd = parent
    .command('log')
    .description('show audit entries, oldest first (--limit N: the first N, -n N: the newest N); -f follows new ones (JSON Lines)')
    .option('--type <type>', 'only entries of this type')
    .option('--since <when>', 'only entries at or after this time: a duration ago (24h) or a date')
    .option('--until <when>', 'only entries at or before this time')
    .option('--actor <text>', 'only entries whose actor contains this text')
    .option('--limit <n>', 'only the first (oldest) N matching entries')
    .option('-n, --last <n>', 'only the newest N matching entries, still oldest first (like tail -n)')
    .option('-f, --follow', 'keep printing new entries as JSON Lines until interrupted')
    .action(action(app, (ctx, opts: LogOptions) => runLog(ctx, opts)));
  examples(cmd, ['agentsec audit log --since 24h', 'agentsec audit log -n 20', 'agentsec audit log --type keys.revoke --json | jq .data', 'agentsec audit log -n 5 -f']);
}
