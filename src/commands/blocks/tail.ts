import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import { iso } from '../../core/blocks/block.js';
import { ExitCode, usageError } from '../../core/errors.js';
import type { TailRecord } from '../../services/blocks.js';
import { isoSeconds } from './shared.js';

export interface TailOptions {
  lines?: string;
  follow?: boolean;
  pollMs?: number;
}

function emit(ctx: Ctx, r: TailRecord): void {
  if (ctx.out.json) ctx.out.record({ event: r.event, at: iso(r.at), value: r.value, scope: r.scope, expiresAt: iso(r.expiresAt), source: r.source, reason: r.reason, count: r.count });
  else {
    const c = ctx.out.chalk;
    const ev = r.event === 'block' ? c.red(r.event) : c.green(r.event);
    const text = [isoSeconds(r.at), ctx.out.isTTY ? ev.padEnd(7 + (ev.length - r.event.length)) : r.event, r.value, r.event === 'block' ? `until ${isoSeconds(r.expiresAt)}` : '-', r.source, r.reason ?? ''];
    ctx.out.line(text.join(ctx.out.isTTY ? '  ' : '\t').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '?'));
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
