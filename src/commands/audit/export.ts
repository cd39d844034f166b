import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import { ExitCode } from '../../core/errors.js';
import { writeFileAtomicStream } from '../../platform/fs.js';
import { checkpointLine, entryLine, headerLine } from './export-format.js';
import { openAuditStore, parseIntArg } from './shared.js';

export interface ExportOptions {
  readonly sinceEpoch?: string;
  readonly output?: string;
}

/** Streams the export: header, every checkpoint, then entries from the first entry of `sinceEpoch`. */
export async function runExport(ctx: Ctx, opts: ExportOptions): Promise<number> {
  const sinceEpoch = opts.sinceEpoch !== undefined ? parseIntArg(opts.sinceEpoch, '--since-epoch') : 0;
  const store = await openAuditStore(ctx, { readonly: true });
  try {
    // One snapshot: the export is one consistent state of the chain even while writers append.
    const { count, checkpoints } = await store.snapshot(async (view) => {
      const checkpoints = await view.audit.checkpoints();
      const before = [...checkpoints].reverse().find((c) => c.epoch < sinceEpoch);
      const fromSeq = sinceEpoch > 0 ? (before?.size ?? 0) : 0;
      const header = headerLine({ origin: (await view.meta.get('audit.origin')) ?? '', pubkey: (await view.meta.get('audit.pubkey')) ?? '', sinceEpoch });
      let count = 0;
      const chunks = async function* (): AsyncGenerator<string> {
        yield header;
        for (const cp of checkpoints) yield checkpointLine(cp.epoch, cp.note);
        let buf = '';
        for await (const batch of view.audit.entries(fromSeq)) {
          for (const [seq, hash, canon] of batch) {
            count++;
            buf += entryLine(seq, hash, canon);
            if (buf.length >= 1 << 16) {
              yield buf;
              buf = '';
            }
          }
        }
        if (buf) yield buf;
      };
      if (opts.output) await writeFileAtomicStream(opts.output, chunks());
      else for await (const chunk of chunks()) ctx.io.stdout.write(chunk);
      return { count, checkpoints };
    });
    ctx.out.info(`exported ${count} entries and ${checkpoints.length} checkpoints${opts.output ? ` to ${opts.output}` : ''}`);
    return ExitCode.Ok;
  } finally {
    await store.close();
  }
}

export function registerExport(parent: Command, app: App): void {
  const cmd = parent
    .command('export')
    .description('export entries (exact canonical text) and checkpoint notes as JSON Lines, verifiable with verify --jsonl')
    .option('--since-epoch <n>', 'only entries from epoch N on (all checkpoints are included)')
    .option('--output <file>', 'write to a file (atomically, mode 0600) instead of stdout')
    .action(action(app, (ctx, opts: ExportOptions) => runExport(ctx, opts)));
  examples(cmd, ['agentsec audit export --output /backup/audit-$(date +%F).jsonl', 'agentsec audit export --since-epoch 1200 | ssh siem ingest']);
}
