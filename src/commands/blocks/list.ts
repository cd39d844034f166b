import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import { blockView } from '../../core/blocks/block.js';
import { ExitCode } from '../../core/errors.js';
import { blockColumns } from './shared.js';

export interface ListOptions {
  all?: boolean;
}

/** Active blocks, or every kept block (expired ones too) with --all. */
export async function runList(ctx: Ctx, opts: ListOptions): Promise<number> {
  const { openBlocksStore, listBlocks } = await import('../../services/blocks.js');
  const reader = await openBlocksStore(ctx);
  try {
    const now = ctx.clock().getTime();
    const blocks = await listBlocks(reader, { all: opts.all === true, now });
    if (ctx.out.json) {
      ctx.out.document({ blocks: blocks.map((b) => blockView(b, now)) });
      return ExitCode.Ok;
    }
    ctx.out.table(blockColumns(ctx, now), blocks);
    if (blocks.length === 0) ctx.out.info(opts.all ? 'no blocks' : 'no active blocks (see --all)');
  } finally {
    await reader.close();
  }
  return ExitCode.Ok;
}

export function registerList(parent: Command, app: App): void {
  const cmd = parent.command('list').description('list active blocks (with --all, expired ones too)').option('--all', 'include expired blocks').action(action(app, runList));
  examples(cmd, ['agentsec blocks list', 'agentsec blocks list --json | jq -r ".blocks[].value"']);
}
