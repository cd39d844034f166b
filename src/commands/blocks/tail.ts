import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import { iso } from '../../core/blocks/block.js';
import { ExitCode, usageError } from '../../core/errors.js';
import type { TailRecord } from '../../services/blocks.js';
import { isoSeconds } from './shared.js';
import { clean } from '../../output/output.js';

export interface TailOptions {
  lines?: string;
  follow?: boolean;
  pollMs?: number;
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
 * The newest block events, and with --follow every new block, unblock and expiry as it happens (see the blocks
 * service's tailEvents), until Ctrl-C.
 */
export async function runTail(ctx: Ctx, opts: TailOptions): Promise<number> {
  const n = opts.lines === undefined ? 10 : /^\d{1,6}$/.test(opts.lines) ? Number(opts.lines) : NaN;
  if (Number.isNaN(n)) throw usageError('-n: give a number of events, e.g. -n 20');
  const { openBlocksStore, tailEvents } = await import('../../services/blocks.js');
  const reader = await openBlocksStore(ctx);
  try {
    await tailEvents(reader, { lines: n, follow: opts.follow === true, signal: ctx.io.signal, pollMs: opts.pollMs }, (r) => emit(ctx, r));
  } finally {
    await reader.close();
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
