import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import { blockView } from '../../core/blocks/block.js';
import { FAILURE_KINDS, type BlockPolicy, type FailureKind } from '../../core/blocks/policy.js';
import { ExitCode, usageError } from '../../core/errors.js';
import { ipArg, isoSeconds, reasonOpt } from './shared.js';
import { choiceOption } from '../../cli/choice.js';

export interface RecordOptions {
  kind?: string;
  reason?: string;
  ipv6Prefix?: string;
}

export function kindOpt(kind: string | undefined): FailureKind {
  const k = kind ?? 'auth';
  if (!(FAILURE_KINDS as readonly string[]).includes(k)) throw usageError(`--kind: '${k.slice(0, 40)}' is not one of ${FAILURE_KINDS.join(', ')}`);
  return k as FailureKind;
}

/** `--ipv6-prefix N` over the config value. */
export function policyOverride(opts: { ipv6Prefix?: string }): Partial<BlockPolicy> {
  if (opts.ipv6Prefix === undefined) return {};
  const n = /^\d{1,3}$/.test(opts.ipv6Prefix) ? Number(opts.ipv6Prefix) : NaN;
  if (!(n >= 16 && n <= 128)) throw usageError('--ipv6-prefix: give a prefix length from 16 to 128 (64 is typical)');
  return { ipv6Prefix: n };
}

/** Records one failure through the policy and says whether it caused a block. */
export async function runRecord(ctx: Ctx, opts: RecordOptions, args: unknown[]): Promise<number> {
  const ip = ipArg(args[0]);
  const kind = kindOpt(opts.kind);
  const reason = reasonOpt(opts.reason);
  const { openBlocks, recordFailure } = await import('../../services/blocks.js');
  const blocks = await openBlocks(ctx, policyOverride(opts));
  try {
    const r = (await recordFailure(blocks, ip, kind, { source: 'record', reason })).failure;
    const now = ctx.clock().getTime();
    if (ctx.out.json) {
      const doc: Record<string, unknown> = { ...r };
      if ('block' in r) doc['block'] = blockView(r.block, now);
      ctx.out.document(doc);
    } else if (r.outcome === 'blocked') ctx.out.line(`blocked\t${r.subject}\t${isoSeconds(r.block.expiresAt)}\t${r.failures} failures`);
    else if (r.outcome === 'already-blocked') ctx.out.line(`already-blocked\t${r.block.value}\t${isoSeconds(r.block.expiresAt)}`);
    else if (r.outcome === 'allowlisted') ctx.out.line(`allowlisted\t${r.ip}`);
    else ctx.out.line(`counted\t${r.subject}\t${r.failures}/${r.maxFailures}`);
  } finally {
    await blocks.close();
  }
  return ExitCode.Ok;
}

export function registerRecord(parent: Command, app: App): void {
  const cmd = parent
    .command('record')
    .description('record one failure (auth failure or rate-limit hit) through the block policy')
    .argument('<ip>', 'the client address')
    .addOption(choiceOption('--kind <kind>', 'failure kind', FAILURE_KINDS, { default: 'auth' }))
    .option('--reason <text>', 'reason kept with a block this failure causes')
    .option('--ipv6-prefix <bits>', 'count IPv6 failures per network of this size (64), overriding config')
    .action(action(app, runRecord));
  examples(cmd, ['agentsec blocks record 203.0.113.7 --kind auth', 'agentsec --json blocks record 2001:db8::5 --kind ratelimit --ipv6-prefix 64']);
}
