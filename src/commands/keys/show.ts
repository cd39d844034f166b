import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import { publicView } from '../../core/apikeys/record.js';
import { effectivePermissions } from '../../core/apikeys/permissions.js';
import { ExitCode } from '../../core/errors.js';
import { completesArgs, dynamic } from '../../cli/completion-spec.js';

/** Shows one key's record. Never the key, never its hash. */
export async function runShow(ctx: Ctx, _opts: unknown, args: unknown[]): Promise<number> {
  const id = String(args[0]);
  const { openKeys, getKey } = await import('../../services/keys.js');
  const keys = await openKeys(ctx, { needKey: false });
  try {
    const now = ctx.clock().getTime();
    const r = await getKey(keys, id);
    const view = publicView(r, now);
    const roles = keys.roles?.table;
    const permissions = effectivePermissions(r.role, r.scopes, roles);
    if (r.role !== null && roles && !roles.has(r.role)) ctx.out.warn(`role '${r.role}' is no longer defined under roles: in config.yaml: it grants no permissions`);
    if (ctx.out.json) {
      ctx.out.document({ key: { ...view, permissions } });
      return ExitCode.Ok;
    }
    const show = (v: unknown) => (v === null ? '-' : Array.isArray(v) ? (v.length ? v.join(', ') : '-') : typeof v === 'object' ? Object.entries(v as Record<string, string>).map(([k, x]) => `${k}=${x}`).join(', ') || '-' : v);
    ctx.out.pairs([...Object.entries(view), ['permissions', permissions]].map(([k, v]) => [k as string, show(v)] as const));
  } finally {
    await keys.close();
  }
  return ExitCode.Ok;
}

export function registerShow(parent: Command, app: App): void {
  const cmd = parent.command('show').description("show one API key's record (never the key)").argument('<id>', 'key id (key_…)').action(action(app, runShow));
  completesArgs(cmd, dynamic('key-ids'));
  examples(cmd, ['agentsec keys show key_8f3kQ2mZ9xLp4Rt1', 'agentsec keys show key_8f3kQ2mZ9xLp4Rt1 --json']);
}
