import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import { ExitCode } from '../../core/errors.js';

/** Removes a user with its seed, backup codes and failure history. */
export async function runRemove(ctx: Ctx, _opts: unknown, args: unknown[]): Promise<number> {
  const { parseUserName } = await import('./options.js');
  const name = parseUserName(args[0]);
  const { openTotp, removeUser } = await import('../../services/totp.js');
  const totp = await openTotp(ctx, { needKey: false });
  try {
    const user = await removeUser(totp, name);
    if (ctx.out.json) ctx.out.document({ removed: true, user: name, id: user.id });
    ctx.out.success(`removed TOTP enrollment of '${name}' (${user.id})`);
  } finally {
    await totp.close();
  }
  return ExitCode.Ok;
}

export function registerRemove(parent: Command, app: App): void {
  const cmd = parent.command('remove').description("remove a user's TOTP enrollment, seed and backup codes").argument('<user>', 'user name').action(action(app, runRemove));
  examples(cmd, ['agentsec totp remove alice']);
}
