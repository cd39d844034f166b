import { resolve } from 'node:path';
import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import { EXPORT_FORMATS, type ExportFormat } from '../../core/blocks/export.js';
import { ExitCode, runtimeError, usageError } from '../../core/errors.js';
import { choiceOption } from '../../cli/choice.js';
import { checkOutputPath } from '../../platform/named-paths.js';
import { count as plural } from '../../output/plural.js';

export interface ExportOptions {
  format?: string;
  output?: string;
  then?: string;
}

/**
 * Writes the active set in one bulk file (atomically: a firewall reload never reads half a file), then runs
 * `--then` (e.g. `nft -f FILE`, `nginx -s reload`). Changes nothing in the store, so no audit entry.
 */
export async function runExport(ctx: Ctx, opts: ExportOptions): Promise<number> {
  const format = (opts.format ?? 'plain') as ExportFormat;
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) throw usageError(`--format: '${String(opts.format).slice(0, 20)}' is not one of ${EXPORT_FORMATS.join(', ')}`);
  if (opts.then !== undefined && opts.output === undefined) throw usageError('--then needs --output FILE: the command runs after the file is written');
  if (opts.output !== undefined) checkOutputPath(opts.output, '--output', ctx.io.cwd);
  const { openBlocksStore, exportActive } = await import('../../services/blocks.js');
  const reader = await openBlocksStore(ctx);
  let exported: Awaited<ReturnType<typeof exportActive>>;
  try {
    exported = await exportActive(reader, format, headerPath(opts.output));
  } finally {
    await reader.close();
  }
  const { count, rendered: { text, skipped, skippedNote } } = exported;
  if (skipped > 0 && skippedNote) ctx.out.warn(skippedNote);
  // iptables leaves out the IPv6 blocks, ip6tables the IPv4 ones.
  const summary = { format, blocks: count - skipped, skippedIpv6: format === 'ip6tables' ? 0 : skipped, skippedIpv4: format === 'ip6tables' ? skipped : 0 };
  if (opts.output === undefined) {
    // --json wraps the file in a document (its text in `content`), so a script gets the count with it.
    if (ctx.out.json) ctx.out.document({ ...summary, output: null, content: text });
    else ctx.io.stdout.write(text);
    return ExitCode.Ok;
  }
  const { writeFileAtomic, ioError } = await import('../../platform/fs.js');
  try {
    // Firewall and nginx files are read by other users (nginx workers): not secret, so world-readable.
    writeFileAtomic(opts.output, text, { mode: 0o644 });
  } catch (err) {
    throw ioError(err, opts.output, 'write');
  }
  ctx.out.success(`wrote ${plural(count - skipped, 'block')} to ${opts.output} (${format})`);
  let then: { command: string; exitCode: number | null } | null = null;
  if (opts.then !== undefined) {
    const [{ spawnSync }, { hookEnv }] = await Promise.all([import('node:child_process'), import('../../platform/child-env.js')]);
    // Without agentsec's secret inputs (AGENTSEC_PASSPHRASE …): a reload command needs none of them.
    const r = spawnSync(opts.then, { shell: true, encoding: 'utf8', env: hookEnv({ ...process.env, ...ctx.env }, { AGENTSEC_EXPORT_FILE: opts.output }) });
    if (r.stdout) ctx.io.stderr.write(r.stdout);
    if (r.stderr) ctx.io.stderr.write(r.stderr);
    then = { command: opts.then, exitCode: r.error ? null : r.status };
    if (r.error || r.status !== 0) {
      if (ctx.out.json) ctx.out.document({ ...summary, output: opts.output, then });
      throw runtimeError(`--then command failed (${r.error ? r.error.message : `exit ${r.status ?? r.signal}`}); ${opts.output} was written`);
    }
  }
  if (ctx.out.json) ctx.out.document({ ...summary, output: opts.output, then });
  return ExitCode.Ok;
}

/**
 * The output file as the header's apply commands name it: absolute, so they work from any directory, and only when
 * every character is one a shell and a comment line take literally. Anything else (a space, a quote, a newline that
 * would end the comment and start a firewall rule) gives the placeholder FILE instead.
 */
function headerPath(output: string | undefined): string | undefined {
  if (output === undefined) return undefined;
  // Resolved as the write below resolves it.
  const abs = resolve(output);
  return /^[A-Za-z0-9_./+,:@%=-]+$/.test(abs) ? abs : undefined;
}

export function registerExport(parent: Command, app: App): void {
  const cmd = parent
    .command('export')
    .description('write the active blocks for a firewall or nginx in one bulk file (atomic), then optionally reload')
    .addOption(choiceOption('--format <format>', 'file format', EXPORT_FORMATS, { default: 'plain' }))
    .option('--output <file>', 'write here (atomically) instead of stdout')
    .option('--then <command>', 'run after writing (shell; $AGENTSEC_EXPORT_FILE is the file)')
    .action(action(app, runExport));
  examples(cmd, [
    'agentsec blocks export --format nftables --output /etc/nftables.d/agentsec.nft --then "nft -f /etc/nftables.d/agentsec.nft"',
    'agentsec blocks export --format nginx --output /etc/nginx/agentsec-deny.conf --then "nginx -s reload"',
    `agentsec blocks export --format iptables --output /etc/agentsec/blocks.rules --then 'sed -n "s/^#   //p" "$AGENTSEC_EXPORT_FILE" | sh -e'`,
    `agentsec blocks export --format ipset --output /etc/agentsec/blocks.ipset --then 'sed -n "s/^#   //p" "$AGENTSEC_EXPORT_FILE" | sh -e'`,
  ]);
}
