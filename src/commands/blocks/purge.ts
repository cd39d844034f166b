import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import { parseDuration } from '../../core/duration.js';
import { ExitCode, usageError } from '../../core/errors.js';
import { count } from '../../output/plural.js';

export interface PurgeOptions {
  olderThan?: string;
}

/**
 * Trims block history, counted failures and blocks that expired before the cutoff. Active and permanent blocks
 * always stay. Audit point: `blocks.purge` (cutoff and counts).
 */
export async function runPurge(ctx: Ctx, opts: PurgeOptions): Promise<number> {
  if (opts.olderThan === undefined) throw usageError('--older-than is required, e.g. --older-than 90d');
  const age = parseDuration(opts.olderThan, '--older-than');
  if (age < 60_000) throw usageError('--older-than: give at least 1m');
  const { openBlocks, purgeBlocks } = await import('../../services/blocks.js');
  const blocks = await openBlocks(ctx);
  try {
    const { cutoff, counts } = await purgeBlocks(blocks, age);
    if (ctx.out.json) ctx.out.document({ before: new Date(cutoff).toISOString(), removed: counts });
    else ctx.out.success(`purged ${count(counts.events, 'history event')}, ${count(counts.failures, 'failure')} and ${count(counts.blocks, 'expired block')} older than ${opts.olderThan}`);
  } finally {
    await blocks.close();
  }
  return ExitCode.Ok;
}

export function registerPurge(parent: Command, app: App): void {
  const cmd = parent.command('purge').description('trim block history, failures and long-expired blocks').option('--older-than <duration>', 'age cutoff (90d)').action(action(app, runPurge));
  examples(cmd, ['agentsec blocks purge --older-than 90d']);
}
