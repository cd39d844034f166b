import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import { formatDuration } from '../../core/duration.js';
import { ExitCode } from '../../core/errors.js';

/** Shows the effective policy (config.yaml `blocks:` over the defaults). Needs no store. */
export async function runPolicy(ctx: Ctx): Promise<number> {
  const { loadPolicy } = await import('../../services/blocks.js');
  const p = await loadPolicy(ctx);
  if (ctx.out.json) {
    ctx.out.document({ policy: { ...p, findTime: formatDuration(p.findTimeMs), blockDuration: formatDuration(p.blockDurationMs), maxDuration: formatDuration(p.maxDurationMs) } });
    return ExitCode.Ok;
  }
  ctx.out.pairs([
    ['enabled', p.enabled],
    ['maxFailures', p.maxFailures],
    ['findTime', formatDuration(p.findTimeMs)],
    ['blockDuration', formatDuration(p.blockDurationMs)],
    ['maxDuration', formatDuration(p.maxDurationMs)],
    ['escalation', 'blockDuration x 2^(count-1), capped at maxDuration'],
    ['ipv6Prefix', p.ipv6Prefix],
    ['allowlist', p.allowlist.join(', ') || '-'],
    ['nginx authStatuses', p.authStatuses.join(',')],
    ['nginx ratelimitStatuses', p.ratelimitStatuses.join(',')],
  ]);
  return ExitCode.Ok;
}

export function registerPolicy(parent: Command, app: App): void {
  const cmd = parent.command('policy').description('show the block policy in force (config.yaml blocks: over the defaults)').action(action(app, runPolicy));
  examples(cmd, ['agentsec blocks policy', 'agentsec --json blocks policy']);
}
