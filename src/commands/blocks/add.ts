import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import { blockView } from '../../core/blocks/block.js';
import { parseDuration } from '../../core/duration.js';
import { ExitCode, usageError } from '../../core/errors.js';
import { isoSeconds, reasonOpt, targetArg } from './shared.js';

export interface AddOptions {
  for?: string;
  until?: string;
  permanent?: boolean;
  reason?: string;
}

/** When the block ends: --for, --until or --permanent (at most one), else the policy's blockDuration. */
export function expiryFrom(opts: AddOptions, now: number, defaultMs: number): number | null {
  const given = [opts.for !== undefined, opts.until !== undefined, opts.permanent === true].filter(Boolean).length;
  if (given > 1) throw usageError('use only one of --for, --until and --permanent');
  if (opts.permanent) return null;
  if (opts.until !== undefined) {
    // Only full ISO dates: `Date.parse` accepts loose forms whose time zone depends on the machine.
    if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(opts.until)) throw usageError(`--until: '${opts.until.slice(0, 40)}' is not an ISO date such as 2026-12-31 or 2026-12-31T23:00:00Z`);
    const at = Date.parse(opts.until);
    if (Number.isNaN(at)) throw usageError(`--until: '${opts.until.slice(0, 40)}' is not a valid date`);
    if (at <= now) throw usageError('--until: the date is in the past');
    return at;
  }
  const ms = opts.for !== undefined ? parseDuration(opts.for, '--for') : defaultMs;
  if (ms <= 0) throw usageError('--for: give a duration above zero, e.g. 1h');
  return now + ms;
}

/** Blocks an IP or CIDR by hand; blocking a value again replaces its expiry and reason (and counts as a repeat). */
export async function runAdd(ctx: Ctx, opts: AddOptions, args: unknown[]): Promise<number> {
  const target = targetArg(args[0]);
  const reason = reasonOpt(opts.reason);
  const { openBlocks, addBlock } = await import('../../services/blocks.js');
  const blocks = await openBlocks(ctx);
  try {
    const now = ctx.clock().getTime();
    const expiresAt = expiryFrom(opts, now, blocks.policy.blockDurationMs);
    const block = await addBlock(blocks, target, { expiresAt, reason, source: 'manual', now });
    if (ctx.out.json) ctx.out.document({ block: blockView(block, now) });
    else ctx.out.success(block.expiresAt === null ? `blocked ${block.value} permanently (until removed)` : `blocked ${block.value} until ${isoSeconds(block.expiresAt)}`);
  } finally {
    await blocks.close();
  }
  return ExitCode.Ok;
}

export function registerAdd(parent: Command, app: App): void {
  const cmd = parent
    .command('add')
    .description('block an IP address or CIDR range (default: for the policy blockDuration)')
    .argument('<target>', 'IPv4/IPv6 address or CIDR')
    .option('--for <duration>', 'block for this long (15m, 24h, 30d)')
    .option('--until <date>', 'block until this ISO date (2026-12-31T00:00:00Z)')
    .option('--permanent', 'block until removed')
    .option('--reason <text>', 'why (kept with the block)')
    .action(action(app, runAdd));
  examples(cmd, ['agentsec blocks add 203.0.113.7 --for 24h --reason "credential stuffing"', 'agentsec blocks add 2001:db8:bad::/48 --permanent']);
}
