import type { BlockEvent } from '../../store/blocks.js';
import type { Store } from '../../store/store.js';
import { sleepUnlessAborted } from '../../platform/sleep.js';

/** One line of `blocks tail`: an event of the history, or an expiry computed from a block's end. */
export interface TailRecord {
  readonly event: 'block' | 'unblock' | 'expire';
  readonly at: number;
  readonly value: string;
  readonly scope: string;
  readonly expiresAt: number | null;
  readonly source: string;
  readonly reason: string | null;
  readonly count: number | null;
}

export interface TailOptions {
  /** How many past events to give first. */
  readonly lines: number;
  readonly follow: boolean;
  readonly signal: AbortSignal;
  /** Poll interval while following (ms). */
  readonly pollMs?: number | undefined;
}

function fromEvent(e: BlockEvent): TailRecord {
  return { event: e.action, at: e.at, value: e.value, scope: e.scope, expiresAt: e.expiresAt, source: e.source, reason: e.reason, count: e.count };
}

/**
 * The newest block events, and while following every new block, unblock and expiry as it happens, until the signal
 * aborts. Polls the store's change feed (SQLite: a counter in shared memory, so no table is read unless someone
 * committed), and computes expiries from the blocks it knows, so nothing has to write an "expired" event.
 */
export async function tailEvents(d: { readonly store: Store; readonly clock: () => Date }, opts: TailOptions, emit: (r: TailRecord) => void): Promise<void> {
  const repo = d.store.blocks;
  let lastId = await repo.lastEventId();
  for (const e of opts.lines > 0 ? await repo.newestEvents(opts.lines) : []) emit(fromEvent(e));
  if (!opts.follow) return;
  const pending = new Map<string, number>();
  for (const b of await repo.list({ all: false, now: d.clock().getTime() })) if (b.expiresAt !== null) pending.set(b.value, b.expiresAt);
  let seen = d.store.changes.version();
  while (!opts.signal.aborted) {
    const v = d.store.changes.version();
    if (v !== seen) {
      seen = v;
      for (let batch = await repo.eventsAfter(lastId, 1000); batch.length > 0; batch = await repo.eventsAfter(lastId, 1000)) {
        for (const e of batch) {
          lastId = e.id;
          if (e.action === 'block' && e.expiresAt !== null) pending.set(e.value, e.expiresAt);
          else pending.delete(e.value);
          emit(fromEvent(e));
        }
      }
    }
    const now = d.clock().getTime();
    for (const [value, at] of pending) {
      if (at > now) continue;
      pending.delete(value);
      const b = await repo.get(value);
      // Re-blocked or lifted meanwhile: the events above already told the story.
      if (b && b.expiresAt === at) emit({ event: 'expire', at, value, scope: b.scope, expiresAt: at, source: b.source, reason: b.reason, count: b.count });
    }
    await sleepUnlessAborted(opts.pollMs ?? 250, opts.signal);
  }
}
