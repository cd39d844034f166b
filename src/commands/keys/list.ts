import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import { keyStatus, publicView, type ApiKeyRecord } from '../../core/apikeys/record.js';
import { ExitCode } from '../../core/errors.js';

export interface ListOptions {
  all?: boolean;
}

function iso(ms: number | null): string {
  return ms === null ? '-' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Lists keys: active ones, or all with --all. Never the key, never its hash. */
export async function runList(ctx: Ctx, opts: ListOptions): Promise<number> {
  const { openKeys, listKeys } = await import('../../services/keys.js');
  const keys = await openKeys(ctx, { needKey: false });
  try {
    const now = ctx.clock().getTime();
    const records = await listKeys(keys, { all: opts.all === true });
    if (ctx.out.json) {
      ctx.out.document({ keys: records.map((r) => publicView(r, now)) });
      return ExitCode.Ok;
    }
    const c = ctx.out.chalk;
    ctx.out.table<ApiKeyRecord>(
      [
        { header: 'ID', value: (r) => r.id, keep: true },
        { header: 'NAME', value: (r) => r.name },
        { header: 'KEY', value: (r) => `${r.prefix}_…${r.last4}`, keep: true },
        { header: 'ROLE', value: (r) => r.role ?? '-', keep: true },
        { header: 'SCOPES', value: (r) => (r.scopes.length ? r.scopes.join(',') : '-'), drop: 2 },
        { header: 'STATUS', value: (r) => keyStatus(r, now), style: (t) => (t === 'active' ? c.green(t) : c.red(t)), keep: true },
        { header: 'EXPIRES', value: (r) => iso(r.expiresAt), drop: 1 },
        { header: 'LAST USED', value: (r) => iso(r.lastUsedAt), drop: 3 },
      ],
      records,
    );
    if (records.length === 0) ctx.out.info(opts.all ? 'no API keys' : 'no active API keys (see --all)');
  } finally {
    await keys.close();
  }
  return ExitCode.Ok;
}

export function registerList(parent: Command, app: App): void {
  const cmd = parent
    .command('list')
    .description('list active API keys (all with --all); never shows a key or its hash')
    .option('--all', 'include revoked and expired keys')
    .action(action(app, runList));
  examples(cmd, ['agentsec keys list', 'agentsec keys list --all --json | jq ".keys[] | {id, name, status}"']);
}
