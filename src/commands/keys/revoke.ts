import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import { publicView } from '../../core/apikeys/record.js';
import { ExitCode, usageError } from '../../core/errors.js';
import { confirmOrRefuse } from '../../cli/confirm.js';
import { completesArgs, dynamic } from '../../cli/completion-spec.js';

export interface RevokeOptions {
  reason?: string;
}

/** Revokes a key at once. Revoking a revoked key changes nothing and says so. */
export async function runRevoke(ctx: Ctx, opts: RevokeOptions, args: unknown[]): Promise<number> {
  const id = String(args[0]);
  const reason = opts.reason ?? null;
  // eslint-disable-next-line no-control-regex
  if (reason !== null && (reason.length > 500 || /[\u0000-\u001f\u007f]/.test(reason))) throw usageError('--reason: use at most 500 printable characters on one line');
  const { openKeys, revokeKey, getKey } = await import('../../services/keys.js');
  const keys = await openKeys(ctx, { needKey: false });
  try {
    const current = await getKey(keys, id);
    if (current.revokedAt === null) await confirmOrRefuse(ctx, `Revoke API key ${current.id} (${current.name})? It stops working at once.`, 'keys revoke');
    const now = ctx.clock().getTime();
    const { record, changed } = await revokeKey(keys, id, reason);
    if (ctx.out.json) ctx.out.document({ revoked: changed, key: publicView(record, now) });
    else if (changed) ctx.out.success(`revoked ${record.id} (${record.name})`);
    else ctx.out.info(`${record.id} was already revoked; nothing changed`);
  } finally {
    await keys.close();
  }
  return ExitCode.Ok;
}

export function registerRevoke(parent: Command, app: App): void {
  const cmd = parent
    .command('revoke')
    .description('revoke an API key at once (asks first; --yes without a terminal)')
    .argument('<id>', 'key id (key_…)')
    .option('--reason <text>', 'why (kept with the key)')
    .action(action(app, runRevoke));
  completesArgs(cmd, dynamic('key-ids'));
  examples(cmd, ['agentsec keys revoke key_8f3kQ2mZ9xLp4Rt1 --reason "leaked in CI log"', 'agentsec keys revoke key_8f3kQ2mZ9xLp4Rt1 --yes   # from a script']);
}
