import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import { blockView } from '../../core/blocks/block.js';
import { ExitCode } from '../../core/errors.js';
import { formatIp } from '../../core/net/index.js';
import { ipArg, isoSeconds } from './shared.js';

/** Exit 1 with the covering block when the address is blocked, 0 when not (for scripts and auth_request hooks). */
export async function runCheck(ctx: Ctx, _opts: Record<string, never>, args: unknown[]): Promise<number> {
  const ip = ipArg(args[0]);
  const { openBlocksStore, coveringBlock } = await import('../../services/blocks.js');
  const blocks = await openBlocksStore(ctx);
  try {
    const now = ctx.clock().getTime();
    const block = await coveringBlock(blocks, ip, now);
    const value = formatIp(ip);
    if (ctx.out.json) ctx.out.document({ ip: value, blocked: block !== undefined, block: block ? blockView(block, now) : null });
    else if (block) ctx.out.line(`blocked\t${value}\t${block.value}\t${isoSeconds(block.expiresAt)}\t${block.reason ?? ''}`);
    else ctx.out.line(`not-blocked\t${value}`);
    return block ? ExitCode.Negative : ExitCode.Ok;
  } finally {
    await blocks.close();
  }
}

export function registerCheck(parent: Command, app: App): void {
  const cmd = parent.command('check').description('exit 1 and show the covering block when an IP is blocked, 0 when not').argument('<ip>', 'IPv4 or IPv6 address').action(action(app, runCheck));
  examples(cmd, ['agentsec blocks check 203.0.113.7 || echo blocked', 'agentsec --json blocks check 2001:db8::1']);
}
