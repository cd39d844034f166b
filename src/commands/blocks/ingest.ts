import { basename } from 'node:path';
import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import { blockView } from '../../core/blocks/block.js';
import { MAX_LINE_BYTES, type LogFormat } from '../../core/blocks/log-line.js';
import { formatDuration } from '../../core/duration.js';
import { ExitCode, usageError } from '../../core/errors.js';
import { policyOverride } from './record.js';
import { isoSeconds } from './shared.js';
import type { IngestStats } from '../../services/blocks.js';
import { choiceOption } from '../../cli/choice.js';
import { checkInputFile } from '../../platform/named-paths.js';
import { count } from '../../output/plural.js';
import { progress } from '../../output/progress.js';
const LOG_FORMATS = ['nginx', 'json', 'auto'] as const;

export interface IngestCommandOptions {
  format?: string;
  follow?: boolean;
  ipv6Prefix?: string;
}

/**
 * Turns log lines into failures through the policy. Malformed lines are counted and skipped, never fatal. A file's
 * read position is remembered, so a re-run does not count a line twice. Each new block is printed as it happens.
 */
export async function runIngest(ctx: Ctx, opts: IngestCommandOptions, args: unknown[]): Promise<number> {
  const format = (opts.format ?? 'auto') as LogFormat;
  if (!['nginx', 'json', 'auto'].includes(format)) throw usageError(`--format: '${String(opts.format).slice(0, 20)}' is not one of nginx, json, auto`);
  const file = args[0] === undefined ? '-' : String(args[0]);
  if (file === '-' && opts.follow) throw usageError('--follow needs a file: stdin is followed by reading it until it ends');
  if (file !== '-') checkInputFile(file, 'log file', ctx.io.cwd);
  const { openBlocks, ingestFile, ingestStream } = await import('../../services/blocks.js');
  const svc = await openBlocks(ctx, policyOverride(opts), { index: true, bulk: true });
  const blocks: Record<string, unknown>[] = [];
  const bar = progress(ctx.io.stderr, { label: `ingesting ${file === '-' ? 'stdin' : basename(file)}:`, unit: 'lines', quiet: ctx.out.quiet, json: ctx.out.json });
  try {
    const ingestOpts = {
      format,
      source: file === '-' ? 'ingest:stdin' : `ingest:${basename(file)}`,
      signal: ctx.io.signal,
      // Following a file runs for ever: its progress would never end, so it shows blocks as they happen instead.
      ...(opts.follow ? {} : { onBatch: (s: { lines: number }) => bar.update(s.lines) }),
      onBlock: (b: import('../../core/blocks/block.js').BlockRecord) => {
        bar.end();
        if (ctx.out.json && !opts.follow) blocks.push(blockView(b, ctx.clock().getTime()));
        else if (ctx.out.json) ctx.out.record({ event: 'block', ...blockView(b, ctx.clock().getTime()) });
        else ctx.out.line(`blocked\t${b.value}\t${isoSeconds(b.expiresAt)}\t${b.reason ?? ''}`);
      },
    };
    let stats;
    if (file === '-') {
      const stream = ctx.io.stdin.stream();
      if (!stream) throw usageError('no stdin to read: give a log file');
      stats = await ingestStream(svc, stream, ingestOpts);
    } else {
      stats = await ingestFile(svc, file, opts.follow === true, ingestOpts);
    }
    bar.end();
    if (ctx.out.json && !opts.follow) ctx.out.document({ file, format, ...stats, blocks });
    else if (ctx.out.json) ctx.out.record({ event: 'summary', ...stats });
    else ctx.out.info(summary(stats, svc.policy.findTimeMs));
  } finally {
    bar.end();
    await svc.close();
  }
  return ExitCode.Ok;
}

/**
 * The one-line summary. Lines that did not count say why, so a replayed old log that blocks nothing explains
 * itself (its lines are older than find-time, as fail2ban would also ignore them).
 */
function summary(s: IngestStats, findTimeMs: number): string {
  return (
    `${count(s.lines, 'line')}: ${count(s.failures, 'failure')}, ${count(s.blocked, 'new block')}, ${s.alreadyBlocked} from blocked addresses, ${s.allowlisted} allowlisted, ` +
    `${s.futureDated} future-dated (counted as now); skipped: ${s.malformed} malformed, ${s.overlong} over ${MAX_LINE_BYTES / 1024} KiB, ` +
    `${s.tooOld} older than find-time (${formatDuration(findTimeMs)})`
  );
}

export function registerIngest(parent: Command, app: App): void {
  const cmd = parent
    .command('ingest')
    .description('turn log lines into failures: nginx access logs (401/403 auth, 429 rate limit) and JSON security logs')
    .argument('[file]', 'log file, or - for stdin (default)')
    .addOption(choiceOption('--format <format>', 'log format (auto: decided per line)', LOG_FORMATS, { default: 'auto' }))
    .option('-f, --follow', 'keep reading as the file grows, across rotation and truncation (Ctrl-C stops)')
    .option('--ipv6-prefix <bits>', 'count IPv6 failures per network of this size (64), overriding config')
    .action(action(app, runIngest));
  examples(cmd, ['agentsec blocks ingest /var/log/nginx/access.log', 'agentsec blocks ingest -f /var/log/nginx/access.log', 'journalctl -o cat -u agent | agentsec blocks ingest - --format json']);
}
