import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import { blockView } from '../../core/blocks/block.js';
import { ExitCode } from '../../core/errors.js';
import { targetArg } from './shared.js';
import { completesArgs, dynamic } from '../../cli/completion-spec.js';

/** Lifts the block on exactly this value. Nothing to lift is not an error (idempotent for scripts), but says so. */
export async function runRemove(ctx: Ctx, _opts: Record<string, never>, args: unknown[]): Promise<number> {
  const target = targetArg(args[0]);
  const { openBlocks, removeBlock } = await import('../../services/blocks.js');
  const blocks = await openBlocks(ctx);
  try {
    const now = ctx.clock().getTime();
    const removed = await removeBlock(blocks, target, { now, source: 'manual' });
    if (ctx.out.json) ctx.out.document({ removed: removed !== undefined, value: target.value, block: removed ? blockView(removed, now) : null });
    else if (removed) ctx.out.success(`unblocked ${target.value}`);
    else ctx.out.info(`${target.value} was not blocked; nothing changed (a covering range is lifted by its own value: see agentsec blocks check)`);
  } finally {
    await blocks.close();
  }
  return ExitCode.Ok;
}

export function registerRemove(parent: Command, app: App): void {
  const cmd = parent.command('remove').description('lift the block on an IP address or CIDR').argument('<target>', 'the blocked value').action(action(app, runRemove));
  completesArgs(cmd, dynamic('blocks'));
  examples(cmd, ['agentsec blocks remove 203.0.113.7', 'agentsec blocks remove 10.9.0.0/16']);
}
