import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import { iso } from '../../core/blocks/block.js';
import { ExitCode, usageError } from '../../core/errors.js';
import type { BlockEvent } from '../../store/blocks-repo.js';
import { isoSeconds } from './shared.js';
import { sleepUnlessAborted } from '../../platform/sleep.js';
import { clean } from '../../output/output.js';

export interface TailOptions {
  lines?: string;
  follow?: boolean;
  pollMs?: number;
}

interface TailRecord {
  readonly event: 'block' | 'unblock' | 'expire';
  readonly at: number;
  readonly value: string;
  readonly scope: string;
  readonly expiresAt: number | null;
  readonly source: string;
  readonly reason: string | null;
  readonly count: number | null;
}

function fromEvent(e: BlockEvent): TailRecord {
  return { event: e.action, at: e.at, value: e.value, scope: e.scope, expiresAt: e.expiresAt, source: e.source, reason: e.reason, count: e.count };
}

function emit(ctx: Ctx, r: TailRecord): void {
  if (ctx.out.json) ctx.out.record({ event: r.event, at: iso(r.at), value: r.value, scope: r.scope, expiresAt: iso(r.expiresAt), source: r.source, reason: r.reason, count: r.count });
  else {
    const c = ctx.out.chalk;
    // Values come from logs and other users' --reason: scrub each one before any color is added, so that the color
    // codes survive and nothing from a log line can reach the terminal as an escape sequence.
    const field = (t: string) => clean(t).replace(/[\t\n\r]/g, ' ');
    const until = r.event !== 'block' ? '-' : r.expiresAt === null ? 'permanent' : `until ${isoSeconds(r.expiresAt)}`;
    const event = ctx.out.isTTY ? (r.event === 'block' ? c.red : c.green)(r.event.padEnd(7)) : r.event;
    ctx.out.line([isoSeconds(r.at), event, field(r.value), until, field(r.source), field(r.reason ?? '')].join(ctx.out.isTTY ? '  ' : '\t'));
  }
}


/**
 * The newest block events, and with --follow every new block, unblock and expiry as it happens. Polls
 * `PRAGMA data_version` (a counter in shared memory: no read of any table unless another connection committed),
 * and computes expiries from the blocks it knows, so nothing has to write an "expired" event.
 */
export async function runTail(ctx: Ctx, opts: TailOptions): Promise<number> {
  const n = opts.lines === undefined ? 10 : /^\d{1,6}$/.test(opts.lines) ? Number(opts.lines) : NaN;
  if (Number.isNaN(n)) throw usageError('-n: give a number of events, e.g. -n 20');
  const db = await ctx.openStore();
  try {
    const { BlocksRepo } = await import('../../store/blocks-repo.js');
    const repo = new BlocksRepo(db);
    const signal = ctx.io.signal;
    let lastId = repo.lastEventId();
    for (const e of n > 0 ? repo.newestEvents(n) : []) emit(ctx, fromEvent(e));
    if (!opts.follow) return ExitCode.Ok;
    const pending = new Map<string, number>();
    for (const b of repo.list({ all: false, now: ctx.clock().getTime() })) if (b.expiresAt !== null) pending.set(b.value, b.expiresAt);
    const version = db.prepare('PRAGMA data_version').pluck();
    let seen = version.get() as number;
    while (!signal.aborted) {
      const v = version.get() as number;
      if (v !== seen) {
        seen = v;
        for (let batch = repo.eventsAfter(lastId, 1000); batch.length > 0; batch = repo.eventsAfter(lastId, 1000)) {
          for (const e of batch) {
            lastId = e.id;
            if (e.action === 'block' && e.expiresAt !== null) pending.set(e.value, e.expiresAt);
            else pending.delete(e.value);
            emit(ctx, fromEvent(e));
          }
        }
      }
      const now = ctx.clock().getTime();
      for (const [value, at] of pending) {
        if (at > now) continue;
        pending.delete(value);
        const b = repo.get(value);
        // Re-blocked or lifted meanwhile: the events above already told the story.
        if (b && b.expiresAt === at) emit(ctx, { event: 'expire', at, value, scope: b.scope, expiresAt: at, source: b.source, reason: b.reason, count: b.count });
      }
      await sleepUnlessAborted(opts.pollMs ?? 250, signal);
    }
  } finally {
    db.close();
  }
  return ExitCode.Ok;
}

export function registerTail(parent: Command, app: App): void {
  const cmd = parent
    .command('tail')
    .description('show the newest block events; with -f, every block, unblock and expiry as it happens')
    .option('-n, --lines <count>', 'how many past events to show first', '10')
    .option('-f, --follow', 'keep watching (Ctrl-C stops)')
    .action(action(app, runTail));
  examples(cmd, ['agentsec blocks tail -n 20', 'agentsec --json blocks tail -f | jq -c "select(.event == \\"block\\")"']);
}
