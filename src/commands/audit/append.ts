import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import type { AuditEvent, JsonValue, SealedEntry } from '../../core/audit/entry.js';
import { validateEventType } from '../../core/audit/entry.js';
import { AgentsecError, ExitCode, usageError } from '../../core/errors.js';
import { cliActor } from '../../platform/actor.js';
import { openAuditStore } from './shared.js';

export interface AppendOptions {
  readonly type?: string;
  readonly actor?: string;
  readonly data?: string;
}

const BATCH = 256;
const FLUSH_MS = 200;

function appendedNote(n: number): string {
  return n === 0 ? '' : ` (${n} earlier ${n === 1 ? 'entry was' : 'entries were'} appended)`;
}

function parseJsonArg(text: string, what: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    throw usageError(`${what} is not valid JSON`);
  }
}

/** Validates one event from flags or one stdin line; `where` names it in errors. */
export function toEvent(raw: unknown, where: string, defaultActor: JsonValue): AuditEvent {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw usageError(`${where}: expected a JSON object with "type" (and optional "actor", "data")`);
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!['type', 'actor', 'data'].includes(k)) throw usageError(`${where}: unknown field "${k}" (allowed: type, actor, data)`);
  if (typeof o['type'] !== 'string') throw usageError(`${where}: "type" must be a string`);
  try {
    validateEventType(o['type']);
  } catch (err) {
    throw usageError(`${where}: ${(err as Error).message}`);
  }
  const data = o['data'];
  if (data !== undefined && (typeof data !== 'object' || data === null || Array.isArray(data))) throw usageError(`${where}: "data" must be a JSON object`);
  return { type: o['type'], actor: (o['actor'] as JsonValue | undefined) ?? defaultActor, ...(data !== undefined ? { data: data as { [k: string]: JsonValue } } : {}) };
}

export async function runAppend(ctx: Ctx, opts: AppendOptions): Promise<number> {
  const defaultActor = opts.actor !== undefined ? parseJsonArg(opts.actor, '--actor') : cliActor();
  if (opts.type === undefined && opts.data !== undefined) throw usageError('--data needs --type (JSON Lines on stdin carry their own data)');
  // A script's entries must not be lost to a busy store: wait longer than the default for many concurrent writers.
  const store = await openAuditStore(ctx, { busyTimeoutMs: 30_000 });
  const written: SealedEntry[] = [];
  try {
    const { openAuditLog } = await import('../../services/audit.js');
    const log = await openAuditLog(ctx, store);
    const append = async (events: AuditEvent[]) => {
      try {
        written.push(...(await log.append(events)));
      } catch (err) {
        if (err instanceof AgentsecError && err.exitCode === ExitCode.Usage && written.length > 0) {
          throw new AgentsecError(`${err.message}${appendedNote(written.length)}`, ExitCode.Usage);
        }
        throw err;
      }
    };
    if (opts.type !== undefined) {
      const raw: Record<string, unknown> = { type: opts.type };
      if (opts.data !== undefined) raw['data'] = parseJsonArg(opts.data, '--data');
      await append([toEvent(raw, '--type/--data', defaultActor)]);
    } else {
      if (ctx.io.stdin.isTTY) throw usageError('pass --type TYPE [--data JSON], or pipe one JSON object per line on stdin');
      await appendStream(ctx, defaultActor, append, () => written.length);
    }
  } finally {
    await store.close();
  }
  if (ctx.out.json) {
    ctx.out.document({ appended: written.length, entries: written.map((w) => ({ seq: w.entry.seq, hash: w.hash, type: w.entry.type })) });
  } else if (opts.type !== undefined) {
    const w = written[0] as SealedEntry;
    ctx.out.line(`${w.entry.seq}\t${w.hash}`);
  } else {
    const first = written[0];
    const last = written[written.length - 1];
    ctx.out.info(first && last ? `appended ${written.length} entries (seq ${first.entry.seq}..${last.entry.seq})` : 'no entries on stdin; nothing appended');
  }
  return ExitCode.Ok;
}

/**
 * Appends JSON Lines from stdin in batches (one transaction per batch, at most 256 lines or 200 ms), so a long-lived
 * pipe (`tail -f app.log | jq -c … | agentsec audit append`) is recorded as it flows.
 */
async function appendStream(ctx: Ctx, defaultActor: JsonValue, append: (events: AuditEvent[]) => Promise<void>, count: () => number): Promise<void> {
  const stream = ctx.io.stdin.stream();
  if (!stream) return;
  const rl = createInterface({ input: stream, crlfDelay: Infinity });
  let batch: AuditEvent[] = [];
  let timer: NodeJS.Timeout | undefined;
  let failure: unknown;
  // Batches are written one after another, in order: a timer's flush and the next full batch never overlap.
  let writing: Promise<void> = Promise.resolve();
  const flush = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (batch.length === 0 || failure) return writing;
    const events = batch;
    batch = [];
    writing = writing.then(async () => {
      if (failure) return;
      try {
        await append(events);
      } catch (err) {
        failure = err;
        rl.close();
      }
    });
    return writing;
  };
  let lineNo = 0;
  try {
    for await (const line of rl) {
      lineNo++;
      if (failure) break;
      if (line.trim() === '') continue;
      let raw: unknown;
      try {
        raw = JSON.parse(line);
      } catch {
        await flush();
        if (failure) throw failure;
        throw usageError(`stdin line ${lineNo} is not valid JSON${appendedNote(count())}`);
      }
      let event: AuditEvent;
      try {
        event = toEvent(raw, `stdin line ${lineNo}`, defaultActor);
      } catch (err) {
        await flush();
        if (failure) throw failure;
        throw count() > 0 ? usageError(`${(err as Error).message}${appendedNote(count())}`) : err;
      }
      batch.push(event);
      if (batch.length >= BATCH) await flush();
      else if (!timer) timer = setTimeout(() => void flush(), FLUSH_MS);
    }
    await flush();
  } finally {
    if (timer) clearTimeout(timer);
  }
  if (failure) throw failure;
}

export function registerAppend(parent: Command, app: App): void {
  const cmd = parent
    .command('append')
    .description('append an entry (or JSON Lines from stdin) to the audit chain')
    .option('--type <type>', 'entry type, e.g. app.login (lowercase letters, digits, . _ : -)')
    .option('--actor <json>', 'who did it, as JSON (default: the OS user running agentsec)')
    .option('--data <json>', 'details as a JSON object (integers only; never a secret value)')
    .action(action(app, (ctx, opts: AppendOptions) => runAppend(ctx, opts)));
  examples(cmd, [
    `agentsec audit append --type app.deploy --data '{"version":"1.4.2"}'`,
    `echo '{"type":"app.login","actor":{"user":"ana"},"data":{"ip":"203.0.113.7"}}' | agentsec audit append`,
  ]);
}
