import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import { ExitCode } from '../../core/errors.js';
import { isoTime, openAuditStore } from './shared.js';

export async function runSeal(ctx: Ctx, opts: { force?: boolean }): Promise<number> {
  const store = await openAuditStore(ctx);
  try {
    const { openAuditLog } = await import('../../services/audit.js');
    const log = await openAuditLog(ctx, store);
    const result = await log.seal(opts.force === true);
    if (ctx.out.json) {
      ctx.out.document(result ? { sealed: true, idle: result.idle, epoch: result.checkpoint.epoch, size: result.checkpoint.size, head: result.checkpoint.head, time: isoTime(result.checkpoint.time) } : { sealed: false });
    } else if (result) {
      ctx.out.success(`sealed epoch ${result.checkpoint.epoch}: ${result.checkpoint.size} entries${result.idle ? ' (heartbeat, no new entries)' : ''}; its signing key is destroyed`);
    } else {
      ctx.out.info('nothing to seal: no new entries and the epoch has not run its length (use --force to seal anyway)');
    }
    return ExitCode.Ok;
  } finally {
    await store.close();
  }
}

export function registerSeal(parent: Command, app: App): void {
  const cmd = parent
    .command('seal')
    .description('write a signed checkpoint now if entries are unsealed or the epoch has run its length (run from cron)')
    .option('--force', 'seal even when nothing is due')
    .action(action(app, (ctx, opts: { force?: boolean }) => runSeal(ctx, opts)));
  examples(cmd, ['agentsec audit seal', '*/5 * * * * agentsec --quiet audit seal   # crontab: seal at least once per epoch']);
}
