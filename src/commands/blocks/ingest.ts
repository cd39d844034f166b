import { basename } from 'node:path';
import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import { blockView, type BlockRecord } from '../../core/blocks/block.js';
import { LOG_FORMATS, PRESETS, type LogFormatName, type PresetName } from '../../core/blocks/formats/names.js';
import { MAX_LINE_BYTES } from '../../core/blocks/formats/types.js';
import { formatDuration } from '../../core/duration.js';
import { ExitCode, usageError } from '../../core/errors.js';
import { policyOverride } from './record.js';
import { isoSeconds } from './shared.js';
import type { IngestChoices, IngestStats } from '../../services/blocks.js';
import { choiceOption } from '../../cli/choice.js';
import { checkInputFile } from '../../platform/named-paths.js';
import { count } from '../../output/plural.js';
import { progress } from '../../output/progress.js';

const FORMAT_CHOICES = ['auto', ...LOG_FORMATS] as const;

export interface IngestCommandOptions {
  format?: string;
  preset?: string;
  messageFormat?: string;
  filter?: string;
  ipField?: string[];
  timeField?: string[];
  eventField?: string[];
  statusField?: string[];
  forwardedField?: string[];
  durationField?: string[];
  authEvent?: string[];
  ratelimitEvent?: string[];
  decisionEvent?: string[];
  trustedProxy?: string[];
  follow?: boolean;
  ipv6Prefix?: string;
}

function choices(opts: IngestCommandOptions, cwd: string): IngestChoices {
  const fields: NonNullable<IngestChoices['fields']> = {
    ...(opts.ipField ? { ip: opts.ipField } : {}),
    ...(opts.timeField ? { time: opts.timeField } : {}),
    ...(opts.eventField ? { event: opts.eventField } : {}),
    ...(opts.statusField ? { status: opts.statusField } : {}),
    ...(opts.forwardedField ? { forwardedFor: opts.forwardedField } : {}),
    ...(opts.durationField ? { duration: opts.durationField } : {}),
  };
  const events: NonNullable<IngestChoices['events']> = {
    ...(opts.authEvent ? { auth: opts.authEvent } : {}),
    ...(opts.ratelimitEvent ? { ratelimit: opts.ratelimitEvent } : {}),
    ...(opts.decisionEvent ? { decision: opts.decisionEvent } : {}),
  };
  return {
    // Commander's default is left out, so config.yaml's blocks.ingest.format can apply.
    format: opts.format as LogFormatName | 'auto' | undefined,
    preset: opts.preset as PresetName | undefined,
    messageFormat: opts.messageFormat as LogFormatName | undefined,
    filter: opts.filter === undefined ? undefined : checkInputFile(opts.filter, 'filter file', cwd),
    fields,
    events,
    trustedProxies: opts.trustedProxy,
    cwd,
  };
}

const MB = 1e6;

/**
 * Turns log lines into failures through the policy, and imports the block decisions a log records. Lines that do
 * not count are counted and skipped, never fatal. A file's read position is remembered, so a re-run does not count
 * a line twice. Each new block is printed as it happens.
 */
export async function runIngest(ctx: Ctx, opts: IngestCommandOptions, args: unknown[]): Promise<number> {
  const file = args[0] === undefined ? '-' : String(args[0]);
  if (file === '-' && opts.follow) throw usageError('--follow needs a file: stdin is followed by reading it until it ends');
  if (file !== '-') checkInputFile(file, 'log file', ctx.io.cwd);
  const { openBlocks, ingestFile, ingestStream, resolveIngest, formatCounts } = await import('../../services/blocks.js');
  const svc = await openBlocks(ctx, policyOverride(opts), { index: true, bulk: true });
  const blocks: Record<string, unknown>[] = [];
  const name = file === '-' ? 'stdin' : basename(file);
  const bar = progress(ctx.io.stderr, { label: `ingesting ${name}:`, unit: 'lines', quiet: ctx.out.quiet, json: ctx.out.json });
  try {
    const resolved = await resolveIngest(ctx, svc.policy, choices(opts, ctx.io.cwd));
    const started = Date.now();
    const ingestOpts = {
      format: resolved.format,
      settings: resolved.settings,
      source: `ingest:${name}`,
      signal: ctx.io.signal,
      // Following a file runs for ever: its progress would never end, so it shows blocks as they happen instead.
      ...(opts.follow
        ? {}
        : {
            onBatch: (s: Readonly<IngestStats>) => {
              const secs = Math.max((Date.now() - started) / 1000, 0.001);
              bar.update(s.lines, undefined, `${Math.round(s.lines / secs)} lines/s, ${(s.bytes / MB).toFixed(1)} MB`);
            },
          }),
      onBlock: (b: BlockRecord) => {
        bar.end();
        if (ctx.out.json && !opts.follow) blocks.push(blockView(b, ctx.clock().getTime()));
        else if (ctx.out.json) ctx.out.record({ event: 'block', ...blockView(b, ctx.clock().getTime()) });
        else ctx.out.line(`blocked\t${b.value}\t${isoSeconds(b.expiresAt)}\t${b.reason ?? ''}`);
      },
    };
    let stats: IngestStats;
    if (file === '-') {
      const stream = ctx.io.stdin.stream();
      if (!stream) throw usageError('no stdin to read: give a log file');
      stats = await ingestStream(svc, stream, ingestOpts);
    } else {
      stats = await ingestFile(svc, file, opts.follow === true, ingestOpts);
    }
    bar.end();
    const formats = formatCounts(stats);
    if (ctx.out.json && !opts.follow) ctx.out.document({ file, ...stats, formats, blocks });
    else if (ctx.out.json) ctx.out.record({ event: 'summary', ...stats, formats });
    else ctx.out.info(summary(stats, svc.policy.findTimeMs));
    const warning = mostlyUnrecognised(stats);
    if (warning) ctx.io.stderr.write(`warning: ${warning}\n`);
  } finally {
    bar.end();
    await svc.close();
  }
  return ExitCode.Ok;
}

/** A run that recognised less than half its lines is reading the wrong format or map: say so, whatever the output mode. */
export function mostlyUnrecognised(s: Readonly<IngestStats>): string | undefined {
  const read = s.lines - s.overlong;
  if (read === 0 || s.unrecognised * 2 <= read) return undefined;
  return `${s.unrecognised} of ${read} lines were not recognised as ${s.format ?? 'any format'}${s.formatDetail ? ` (${s.formatDetail})` : ''}: check --format, --preset or the field map (blocks.ingest in config.yaml)`;
}

/**
 * The summary: the format's own counts, then what the policy made of them. Lines that did not count say why, so a
 * replayed old log that blocks nothing explains itself (its lines are older than find-time, as fail2ban would also
 * ignore them).
 */
function summary(s: IngestStats, findTimeMs: number): string {
  const format = s.format ? `${s.format}${s.formatDetail ? ` (${s.formatDetail})` : ''}` : 'no format';
  const imported = s.imported || s.expiredDecisions ? `, ${s.imported} imported decisions (${s.expiredDecisions} already ended)` : '';
  return (
    `${format}: ${s.lines} read, ${s.matched} matched, ${s.neutral} neutral, ${s.unrecognised} unrecognised, ${s.overlong} overlong\n` +
    `${count(s.lines, 'line')}: ${count(s.failures, 'failure')}, ${count(s.blocked, 'new block')}${imported}, ${s.alreadyBlocked} from blocked addresses, ${s.allowlisted} allowlisted, ` +
    `${s.futureDated} future-dated (counted as now); skipped: ${s.unrecognised} unrecognised, ${s.overlong} over ${MAX_LINE_BYTES / 1024} KiB, ` +
    `${s.tooOld} older than find-time (${formatDuration(findTimeMs)})`
  );
}

const collect = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), v];

export function registerIngest(parent: Command, app: App): void {
  const cmd = parent
    .command('ingest')
    .description('turn log lines into failures and import block decisions: nginx/CLF, Traefik, Caddy, JSON, logfmt, journald logs and fail2ban filters')
    .argument('[file]', 'log file, or - for stdin (default)')
    .addOption(choiceOption('--format <format>', 'log format (auto: detected from the first lines, refused when ambiguous)', FORMAT_CHOICES))
    .addOption(choiceOption('--preset <name>', 'field and event map of a JSON or logfmt log', PRESETS))
    .addOption(choiceOption('--message-format <format>', 'format of journald messages (default: detected)', LOG_FORMATS))
    .option('--filter <file>', 'a fail2ban filter (filter.d/*.conf) to apply (implies --format fail2ban-filter)')
    .option('--ip-field <name>', 'field holding the client address (repeatable: first present wins)', collect)
    .option('--time-field <name>', 'field holding the time (repeatable)', collect)
    .option('--event-field <name>', 'field holding the event name (repeatable)', collect)
    .option('--status-field <name>', 'field holding the HTTP status (repeatable)', collect)
    .option('--forwarded-field <name>', 'field holding X-Forwarded-For (repeatable; read behind a trusted proxy)', collect)
    .option('--duration-field <name>', 'field holding a decision\'s duration (repeatable)', collect)
    .option('--auth-event <value>', 'event value that is an auth failure, exact or /pattern/ (repeatable)', collect)
    .option('--ratelimit-event <value>', 'event value that is a rate-limit hit (repeatable)', collect)
    .option('--decision-event <value>', 'event value that is a block decision to import (repeatable)', collect)
    .option('--trusted-proxy <cidr>', 'proxy whose X-Forwarded-For is believed (repeatable; overrides config blocks.trustedProxies)', collect)
    .option('-f, --follow', 'keep reading as the file grows, across rotation and truncation (Ctrl-C stops)')
    .option('--ipv6-prefix <bits>', 'count IPv6 failures per network of this size (64), overriding config')
    .action(action(app, runIngest));
  examples(cmd, [
    'agentsec blocks ingest /var/log/nginx/access.log',
    'agentsec blocks ingest -f /var/log/nginx/access.log --trusted-proxy 10.0.0.0/8',
    'agentsec blocks ingest /var/log/app/security.log --format json --preset source-ip',
    'agentsec blocks ingest /var/log/nginx/error.log --filter /etc/fail2ban/filter.d/nginx-http-auth.conf',
    'journalctl -o json -u agent | agentsec blocks ingest - --format journald',
  ]);
}
