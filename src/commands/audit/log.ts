import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import { parseCanon } from '../../core/audit/entry.js';
import { ExitCode } from '../../core/errors.js';
import type { EntryRow, LogQuery } from '../../store/audit.js';
import { sleepUnlessAborted } from '../../platform/sleep.js';
import { isoTime, openAuditStore, parseIntArg, parseTimeArg } from './shared.js';

export interface LogOptions {
  readonly type?: string;
  readonly since?: string;
  readonly until?: string;
  readonly actor?: string;
  readonly limit?: string;
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
}

function toRecord(row: EntryRow): LogRecord | undefined {
  const e = parseCanon(row.canon);
  if (!e) return undefined;
  return { seq: row.seq, time: isoTime(e.ts), ts: e.ts, epoch: e.epoch, type: e.type, actor: e.actor, data: e.data, hash: row.hash };
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
  };
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
          { header: 'SEQ', value: (r: LogRecord) => r.seq },
          { header: 'TIME', value: (r: LogRecord) => r.time },
          { header: 'TYPE', value: (r: LogRecord) => r.type },
          { header: 'ACTOR', value: (r: LogRecord) => actorText(r.actor) },
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
      for (const row of await store.audit.query({ ...query, limit: undefined, since: query.since, afterSeq: last })) {
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
    .description('show audit entries, oldest first; -f follows new ones (JSON Lines)')
    .option('--type <type>', 'only entries of this type')
    .option('--since <when>', 'only entries at or after this time: a duration ago (24h) or a date')
    .option('--until <when>', 'only entries at or before this time')
    .option('--actor <text>', 'only entries whose actor contains this text')
    .option('--limit <n>', 'only the newest N matching entries')
    .option('-f, --follow', 'keep printing new entries as JSON Lines until interrupted')
    .action(action(app, (ctx, opts: LogOptions) => runLog(ctx, opts)));
  examples(cmd, ['agentsec audit log --since 24h', 'agentsec audit log --type keys.revoke --json | jq .data', 'agentsec audit log -f']);
}
