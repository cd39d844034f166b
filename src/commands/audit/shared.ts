import type { Ctx } from '../../cli/context.js';
import { AgentsecError, ExitCode, usageError } from '../../core/errors.js';
import { parseDuration } from '../../core/duration.js';
import type { OpenStoreOptions, Store } from '../../store/store.js';

/** Opens the store for an audit command, refusing a store that predates the audit chain. */
export async function openAuditStore(ctx: Ctx, opts: { readonly?: boolean; busyTimeoutMs?: number; origin?: string } = {}): Promise<Store> {
  const storeOpts: OpenStoreOptions = {
    ...(opts.readonly ? { readonly: true, migrate: false } : {}),
    ...(opts.busyTimeoutMs !== undefined ? { busyTimeoutMs: opts.busyTimeoutMs } : {}),
    ...(opts.origin !== undefined ? { origin: opts.origin } : {}),
  };
  const store = await ctx.store(storeOpts);
  const { latestSchemaVersion } = await import('../../store/open.js');
  const version = await store.schemaVersion();
  if (version < 2) {
    await store.close();
    throw new AgentsecError('this store has no audit chain yet: run agentsec init', ExitCode.Usage);
  }
  if (version > (await latestSchemaVersion())) {
    await store.close();
    throw new AgentsecError(`store ${ctx.paths.db} has schema version ${version}, newer than this agentsec supports: upgrade agentsec`, ExitCode.Runtime);
  }
  return store;
}

/** A point in time from `--since`/`--until`: a duration ago (`1h`, `7d`) or an ISO date. */
export function parseTimeArg(text: string, flag: string, now: number): number {
  if (/^\d+(ms|s|m|h|d|w)/.test(text)) return now - parseDuration(text, flag);
  const t = Date.parse(text);
  if (Number.isNaN(t)) throw usageError(`${flag}: '${text}' is neither a duration (24h, 7d) nor a date (2026-11-01T00:00:00Z)`);
  return t;
}

export function parseIntArg(text: string, flag: string, min = 0): number {
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text)) || Number(text) < min) throw usageError(`${flag}: expected a whole number${min > 0 ? ` >= ${min}` : ''}, got '${text}'`);
  return Number(text);
}

export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** Commander collector for repeatable options. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
