import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import { publicView } from '../../core/apikeys/record.js';
import { formatDuration, parseDuration } from '../../core/duration.js';
import { ExitCode } from '../../core/errors.js';
import { completesArgs, dynamic } from '../../cli/completion-spec.js';

export interface RotateOptions {
  grace?: string;
}

export const DEFAULT_GRACE = '24h';

/** Issues a replacement key (printed once) and lets the old one expire after the grace period. */
export async function runRotate(ctx: Ctx, opts: RotateOptions, args: unknown[]): Promise<number> {
  const id = String(args[0]);
  const graceMs = parseDuration(opts.grace ?? DEFAULT_GRACE, '--grace');
  const { openKeys, rotateKey } = await import('../../services/keys.js');
  const keys = await openKeys(ctx);
  try {
    const now = ctx.clock().getTime();
    const { key, record, old } = await rotateKey(keys, id, graceMs);
    if (ctx.out.json) ctx.out.document({ key, ...publicView(record, now), old: publicView(old, now) });
    else ctx.out.line(key);
    ctx.out.success(`rotated ${old.id} to ${record.id}; the old key ${graceMs > 0 ? `works until ${new Date(old.expiresAt ?? now).toISOString()} (${formatDuration(graceMs)} grace)` : 'no longer works'}`);
  } finally {
    await keys.close();
  }
  return ExitCode.Ok;
}

export function registerRotate(parent: Command, app: App): void {
  const cmd = parent
    .command('rotate')
    .description('issue a replacement key with the same name, role, scopes and allowlist; the old one expires after --grace')
    .argument('<id>', 'key id (key_…)')
    .option('--grace <duration>', `how long the old key keeps working (default ${DEFAULT_GRACE}; 0s ends it now)`)
    .action(action(app, runRotate));
  completesArgs(cmd, dynamic('key-ids'));
  examples(cmd, ['agentsec keys rotate key_8f3kQ2mZ9xLp4Rt1', 'agentsec keys rotate key_8f3kQ2mZ9xLp4Rt1 --grace 1h --json | jq -r .key']);
}
